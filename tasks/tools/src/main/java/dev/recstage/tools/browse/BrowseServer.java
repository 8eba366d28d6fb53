package dev.recstage.tools.browse;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * The JDK's HTTP server over {@link Pages}: GET {@code /?q=…&u=…}, {@code /item?id=…},
 * {@code /user?id=…}. Pages carry a Content-Security-Policy without scripts, so that even markup
 * that escaped escaping could not run.
 */
final class BrowseServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(BrowseServer.class);
    private static final String POLICY = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'";

    private final HttpServer server;
    private final Pages pages;

    private BrowseServer(HttpServer server, Pages pages) {
        this.server = server;
        this.pages = pages;
    }

    static BrowseServer start(InetSocketAddress address, Pages pages) throws IOException {
        HttpServer server = HttpServer.create(address, 0);
        BrowseServer browse = new BrowseServer(server, pages);
        server.createContext("/", browse::handle);
        // Two threads: one slow lookup does not hold up the page's other requests.
        server.setExecutor(Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "browse");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
        return browse;
    }

    InetSocketAddress address() {
        return server.getAddress();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
                send(exchange, 405, pages.notFound("Only GET is served."));
                return;
            }
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            String path = exchange.getRequestURI().getPath();
            int rows = rows(query.get("rows"));
            Optional<String> page = switch (path) {
                case "/" -> Optional.of(pages.home(query.getOrDefault("q", ""), query.getOrDefault("u", "")));
                case "/item" -> pages.item(query.getOrDefault("id", ""), rows);
                case "/user" -> pages.user(query.getOrDefault("id", ""), rows);
                default -> Optional.empty();
            };
            if (page.isPresent()) {
                send(exchange, 200, page.get());
            } else {
                send(exchange, 404, pages.notFound("Nothing at " + path + (query.containsKey("id") ? " for id " + query.get("id") : "") + "."));
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "browse: %s failed", exchange.getRequestURI());
            send(exchange, 500, pages.notFound("This page failed: " + e.getMessage()));
        }
    }

    private static int rows(String value) {
        try {
            return value == null ? Pages.LIST_ROWS : Math.max(1, Math.min(Integer.parseInt(value), Short.MAX_VALUE));
        } catch (NumberFormatException e) {
            return Pages.LIST_ROWS;
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> values = new HashMap<>();
        if (raw == null) {
            return values;
        }
        for (String pair : raw.split("&")) {
            int equals = pair.indexOf('=');
            String key = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            values.putIfAbsent(key, value);
        }
        return values;
    }

    private static void send(HttpExchange exchange, int status, String html) throws IOException {
        byte[] body = html.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        exchange.getResponseHeaders().set("Content-Security-Policy", POLICY);
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
