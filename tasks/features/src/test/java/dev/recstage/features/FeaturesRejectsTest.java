package dev.recstage.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recstage.core.cli.ExitCode;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every reject reason, every input format and every exit code of the features command. */
@QuarkusMainTest
class FeaturesRejectsTest {
    private static final String ITEMS = "item_id,title,description,tags,category,create_time\n"
            + "a,Alpha,\"first, with \"\"quotes\"\"\nand a newline\",x|y,cat1,2024-01-01T00:00:00Z\n"
            + "b,Beta,,,cat2,1704067200\n"
            + "c,Gamma,,,cat1,\n";

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private LaunchResult run(QuarkusMainLauncher launcher, Path items, Path events, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("--items", items.toString(), "--interactions", events.toString(),
                "--out", dir.resolve("out").toString()));
        args.addAll(List.of(more));
        return launcher.launch(args.toArray(String[]::new));
    }

    @Test
    void rejectsEachBadRowWithFileLineAndReason(QuarkusMainLauncher launcher) throws IOException {
        Path items = write("items.csv", ITEMS
                + ",Nameless,,,cat1,2024-01-01\n"                     // line 6 (row a spans lines 2-3): empty id
                + "d,Delta,,,cat1,yesterday\n"                        // line 7: bad timestamp
                + "e,Eps,,,cat1,2024-01-01,extra\n"                   // line 8: wrong column count
                + "b,Beta renamed,,,cat2,2023-01-01\n"                // line 9: older conflicting duplicate
                + "f," + "x".repeat(70_000) + ",,,cat1,2024-01-01\n"); // line 10: text over 64 KiB
        Path events = write("events.csv", "user_id,item_id,event_type,create_time,weight\n"
                + "u1,a,view,2024-01-02T10:00:00,1\n"
                + "u1,zzz,view,2024-01-02T10:00:00,1\n"               // line 3: unknown item
                + ",a,view,2024-01-02T10:00:00,1\n"                   // line 4: empty user
                + "u2,a,view,not a time,1\n"                          // line 5: bad timestamp
                + "u2,b,view,2024-01-02T10:00:00,-1\n"                // line 6: negative weight
                + "u2,b,view,2024-01-02T10:00:00,NaN\n"               // line 7: NaN weight
                + "u2,b,view,2024-01-02T10:00:00,Infinity\n"          // line 8: infinite weight
                + "u2,c,download,1704189600000,2.5\n");
        LaunchResult result = run(launcher, items, events, "--max-reject-ratio", "1");
        assertEquals(0, result.exitCode(), result.getErrorOutput());
        List<String> rejects = Files.readAllLines(dir.resolve("out/rejects.csv"));
        assertEquals("file,line,reason,detail", rejects.get(0));
        assertContains(rejects, "items.csv,6,empty_id");
        assertContains(rejects, "items.csv,7,bad_timestamp");
        assertContains(rejects, "items.csv,8,wrong_column_count");
        assertContains(rejects, "items.csv,9,duplicate_item_conflict");
        assertContains(rejects, "items.csv,10,text_too_long");
        assertContains(rejects, "events.csv,3,unknown_item");
        assertContains(rejects, "events.csv,4,empty_id");
        assertContains(rejects, "events.csv,5,bad_timestamp");
        assertContains(rejects, "events.csv,6,bad_weight");
        assertContains(rejects, "events.csv,7,bad_weight");
        assertContains(rejects, "events.csv,8,bad_weight");
        assertEquals(1 + 11, rejects.size());
        String manifest = Files.readString(dir.resolve("out/manifest.json"));
        assertTrue(manifest.contains("\"bad_weight\" : 3"), manifest);
        FeaturesOutput output = FeaturesOutput.read(dir.resolve("out"));
        assertEquals(List.of("a", "b", "c"), output.itemIds());
        assertEquals("first, with \"quotes\"\nand a newline", output.itemText().get(0)[1]);
        assertEquals("x|y", output.itemText().get(0)[2]);
        assertEquals(2, output.interactions().size());
    }

    @Test
    void tooManyRejectsFailWithExit3AndNoOutput(QuarkusMainLauncher launcher) throws IOException {
        Path items = write("items.csv", ITEMS);
        Path events = write("events.csv", "user_id,item_id,create_time\nu1,a,1704067200\nu1,nope,1704067200\n");
        LaunchResult result = run(launcher, items, events);
        assertEquals(ExitCode.INPUT_DATA, result.exitCode());
        assertTrue(result.getErrorOutput().contains("events.csv: 1 of 2 rows rejected (50.00%)"), result.getErrorOutput());
        assertTrue(result.getErrorOutput().contains("line 3: unknown_item"), result.getErrorOutput());
        assertFalse(Files.exists(dir.resolve("out")));
        try (var siblings = Files.list(dir)) {
            assertTrue(siblings.noneMatch(p -> p.getFileName().toString().startsWith(".out")), "no staging directory left");
        }
    }

    @Test
    void missingEmptyOrHeaderlessInputsExit3NamingTheFile(QuarkusMainLauncher launcher) throws IOException {
        Path items = write("items.csv", ITEMS);
        Path events = write("events.csv", "user_id,item_id,create_time\nu1,a,1704067200\n");
        LaunchResult missing = run(launcher, dir.resolve("nope.csv"), events);
        assertEquals(ExitCode.INPUT_DATA, missing.exitCode());
        assertTrue(missing.getErrorOutput().contains("nope.csv"), missing.getErrorOutput());

        LaunchResult empty = run(launcher, write("empty.csv", ""), events);
        assertEquals(ExitCode.INPUT_DATA, empty.exitCode());
        assertTrue(empty.getErrorOutput().contains("empty.csv is empty"), empty.getErrorOutput());

        LaunchResult noColumn = run(launcher, items, write("nouser.csv", "item_id,create_time\na,1704067200\n"));
        assertEquals(ExitCode.INPUT_DATA, noColumn.exitCode());
        assertTrue(noColumn.getErrorOutput().contains("nouser.csv: missing required column user_id"), noColumn.getErrorOutput());

        LaunchResult semicolons = run(launcher, write("semi.csv", "item_id;title\na;b\n"), events);
        assertEquals(ExitCode.INPUT_DATA, semicolons.exitCode());
        assertTrue(semicolons.getErrorOutput().contains("delimiter"), semicolons.getErrorOutput());

        LaunchResult unbalanced = run(launcher, items, write("quote.csv", "user_id,item_id,create_time\nu1,\"a,1704067200\n"));
        assertEquals(ExitCode.INPUT_DATA, unbalanced.exitCode());
        assertTrue(unbalanced.getErrorOutput().contains("quote.csv:"), unbalanced.getErrorOutput());
    }

    @Test
    void badOptionsExit2(QuarkusMainLauncher launcher) throws IOException {
        Path items = write("items.csv", ITEMS);
        Path events = write("events.csv", "user_id,item_id,create_time\nu1,a,1704067200\n");
        assertEquals(ExitCode.USAGE, run(launcher, items, events, "--items-map", "nonsense").exitCode());
        assertEquals(ExitCode.USAGE, run(launcher, items, events, "--items-map", "color=x").exitCode());
        assertEquals(ExitCode.USAGE, run(launcher, items, events, "--since", "last week").exitCode());
        assertEquals(ExitCode.USAGE, run(launcher, items, events, "--max-reject-ratio", "2").exitCode());
        assertEquals(ExitCode.USAGE, launcher.launch("--items", items.toString()).exitCode());
    }

    @Test
    void readsJsonLinesGzipBomAndCrlf(QuarkusMainLauncher launcher) throws IOException {
        Path items = dir.resolve("items.csv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(items))) {
            out.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
            out.write(ITEMS.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        Path events = write("events.jsonl", "{\"user_id\":\"u1\",\"item_id\":\"a\",\"create_time\":1704067200,\"rating\":4.5}\n"
                + "\n"
                + "[1,2]\n"
                + "{\"user_id\":\"u1\",\"item_id\":{\"x\":1},\"create_time\":1704067200}\n"
                + "{\"user_id\":\"u2\",\"item_id\":\"b\",\"create_time\":\"2024-01-01 12:00:00\",\"rating\":3}\n"
                + "{\"user_id\":\"u3\",\"item_id\":\"c\",\"create_ti");
        LaunchResult result = run(launcher, items, events, "--interactions-map", "weight=rating", "--max-reject-ratio", "1");
        assertEquals(0, result.exitCode(), result.getErrorOutput());
        List<String> rejects = Files.readAllLines(dir.resolve("out/rejects.csv"));
        assertContains(rejects, "events.jsonl,3,not_an_object");
        assertContains(rejects, "events.jsonl,4,wrong_type");
        assertContains(rejects, "events.jsonl,6,invalid_json");
        FeaturesOutput output = FeaturesOutput.read(dir.resolve("out"));
        assertEquals(List.of("a", "b", "c"), output.itemIds());
        assertEquals(List.of("interaction"), output.events());
        assertEquals(2, output.interactions().size());
        assertEquals(4.5f, Float.intBitsToFloat((int) output.interactions().get(0)[3]));
    }

    @Test
    void truncatedGzipExit3(QuarkusMainLauncher launcher) throws IOException {
        Path items = dir.resolve("items.csv.gz");
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(ITEMS.repeat(200).getBytes(StandardCharsets.UTF_8));
        }
        byte[] all = bytes.toByteArray();
        Files.write(items, java.util.Arrays.copyOf(all, all.length / 2));
        LaunchResult result = run(launcher, items, write("events.csv", "user_id,item_id,create_time\nu1,a,1704067200\n"));
        assertEquals(ExitCode.INPUT_DATA, result.exitCode());
        assertTrue(result.getErrorOutput().contains("items.csv.gz"), result.getErrorOutput());
    }

    private static void assertContains(List<String> lines, String prefix) {
        assertTrue(lines.stream().anyMatch(l -> l.startsWith(prefix)), prefix + " not in " + lines);
    }
}
