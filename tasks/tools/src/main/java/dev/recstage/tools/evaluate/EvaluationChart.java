package dev.recstage.tools.evaluate;

import dev.recstage.tools.evaluate.Evaluation.SweepPoint;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * evaluation.png: NDCG@10 of the blend against the peak RSS of the stage each swept setting sizes,
 * one line per setting (Java2D, headless). Without a sweep: the rows' NDCG@10 as bars.
 */
public final class EvaluationChart {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 560;
    private static final int LEFT = 80;
    private static final int RIGHT = 250;
    private static final int TOP = 50;
    private static final int BOTTOM = 70;
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
        new Color(0x9467bd), new Color(0xff7f0e), new Color(0x8c564b)};

    private EvaluationChart() {
    }

    public static void write(Evaluation evaluation, Path file) {
        System.setProperty("java.awt.headless", "true");
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
            if (evaluation.sweep().isEmpty()) {
                g.drawString("NDCG@10 per row", LEFT, 30);
                bars(g, evaluation);
            } else {
                g.drawString("NDCG@10 of the blend against the peak RSS of the stage the setting sizes", LEFT, 30);
                sweep(g, evaluation.sweep());
            }
        } finally {
            g.dispose();
        }
        try {
            ImageIO.write(image, "png", file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static void sweep(Graphics2D g, List<SweepPoint> points) {
        Map<String, List<SweepPoint>> bySetting = new LinkedHashMap<>();
        for (SweepPoint p : points) {
            bySetting.computeIfAbsent(p.setting(), s -> new ArrayList<>()).add(p);
        }
        double minX = Double.MAX_VALUE;
        double maxX = 0;
        double minY = Double.MAX_VALUE;
        double maxY = 0;
        for (SweepPoint p : points) {
            double x = mb(p);
            double y = p.metrics().get("10").ndcg();
            minX = Math.min(minX, x);
            maxX = Math.max(maxX, x);
            minY = Math.min(minY, y);
            maxY = Math.max(maxY, y);
        }
        double[] xr = padded(minX, maxX);
        double[] yr = padded(minY, maxY);
        axes(g, xr, yr, "peak RSS of the sized stage (MB)", "NDCG@10");
        int series = 0;
        int legendY = TOP + 10;
        for (Map.Entry<String, List<SweepPoint>> e : bySetting.entrySet()) {
            Color color = PALETTE[series++ % PALETTE.length];
            g.setColor(color);
            g.setStroke(new BasicStroke(2f));
            int[] last = null;
            for (SweepPoint p : e.getValue()) {
                int x = px(mb(p), xr);
                int y = py(p.metrics().get("10").ndcg(), yr);
                g.fillOval(x - 4, y - 4, 8, 8);
                if (last != null) {
                    g.drawLine(last[0], last[1], x, y);
                }
                g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
                g.drawString(p.value(), x + 6, y - 6);
                last = new int[] {x, y};
            }
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.drawString(e.getKey(), WIDTH - RIGHT + 10, legendY);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
            g.drawString("x: peak RSS of " + e.getValue().get(0).sizedStage(), WIDTH - RIGHT + 10, legendY + 13);
            legendY += 34;
        }
    }

    private static void bars(Graphics2D g, Evaluation evaluation) {
        List<Evaluation.Row> rows = evaluation.rows();
        double max = rows.stream().mapToDouble(r -> r.metrics().get("10").ndcg()).max().orElse(0);
        double[] yr = {0, max <= 0 ? 1 : max * 1.15};
        axes(g, new double[] {0, rows.size()}, yr, "row", "NDCG@10");
        int slot = (WIDTH - LEFT - RIGHT) / Math.max(1, rows.size());
        for (int i = 0; i < rows.size(); i++) {
            double v = rows.get(i).metrics().get("10").ndcg();
            int x = LEFT + i * slot + slot / 4;
            int y = py(v, yr);
            g.setColor(PALETTE[i % PALETTE.length]);
            g.fillRect(x, y, slot / 2, HEIGHT - BOTTOM - y);
            g.setColor(Color.BLACK);
            g.drawString(rows.get(i).row(), x, HEIGHT - BOTTOM + 18);
            g.drawString(String.format(Locale.ROOT, "%.4f", v), x, y - 4);
        }
    }

    private static void axes(Graphics2D g, double[] xr, double[] yr, String xLabel, String yLabel) {
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(1f));
        g.drawLine(LEFT, HEIGHT - BOTTOM, WIDTH - RIGHT, HEIGHT - BOTTOM);
        g.drawLine(LEFT, TOP, LEFT, HEIGHT - BOTTOM);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int t = 0; t <= 4; t++) {
            double y = yr[0] + (yr[1] - yr[0]) * t / 4;
            int py = py(y, yr);
            g.drawLine(LEFT - 4, py, LEFT, py);
            g.drawString(String.format(Locale.ROOT, "%.4f", y), 10, py + 4);
            if (!"row".equals(xLabel)) {
                double x = xr[0] + (xr[1] - xr[0]) * t / 4;
                int px = px(x, xr);
                g.drawLine(px, HEIGHT - BOTTOM, px, HEIGHT - BOTTOM + 4);
                g.drawString(String.format(Locale.ROOT, "%.0f", x), px - 10, HEIGHT - BOTTOM + 18);
            }
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawString(xLabel, LEFT + (WIDTH - LEFT - RIGHT) / 2 - 80, HEIGHT - 25);
        g.drawString(yLabel, 10, TOP - 10);
    }

    private static double mb(SweepPoint p) {
        return p.cost(p.sizedStage()).peakRssBytes() / 1048576.0;
    }

    private static double[] padded(double min, double max) {
        double span = max - min;
        double pad = span > 0 ? span * 0.1 : Math.max(Math.abs(max) * 0.05, 1e-3);
        return new double[] {min - pad, max + pad};
    }

    private static int px(double x, double[] range) {
        return LEFT + (int) Math.round((x - range[0]) / (range[1] - range[0]) * (WIDTH - LEFT - RIGHT));
    }

    private static int py(double y, double[] range) {
        return HEIGHT - BOTTOM - (int) Math.round((y - range[0]) / (range[1] - range[0]) * (HEIGHT - TOP - BOTTOM));
    }
}
