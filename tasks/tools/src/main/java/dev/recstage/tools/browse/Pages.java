package dev.recstage.tools.browse;

import dev.recstage.tools.run.Catalogue;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** The HTML of each page, rendered on the server from a {@link RunView}; every value from the run is escaped. */
final class Pages {
    /** Search results shown at most (the rest are counted, never sent). */
    static final int SEARCH_LIMIT = 50;
    /** Rows of each list shown unless the page asks for more. */
    static final int LIST_ROWS = 20;
    static final int HISTORY_ROWS = 50;

    private static final String STYLE = """
            body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#222}
            header{background:#234;color:#fff;padding:8px 16px;display:flex;gap:24px;align-items:center}
            header a{color:#fff;font-weight:bold;text-decoration:none}
            header form{display:flex;gap:4px}
            main{padding:8px 16px}
            .lists{display:flex;gap:16px;flex-wrap:wrap;align-items:flex-start}
            section.list{flex:1 1 360px;min-width:0}
            table{border-collapse:collapse;width:100%}
            td,th{border-bottom:1px solid #ddd;padding:2px 6px;text-align:left;vertical-align:top}
            td.num{text-align:right;font-variant-numeric:tabular-nums}
            .tags,.id,small{color:#666;font-size:12px}
            .tags{overflow-wrap:anywhere}
            dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px}
            dt{color:#666}
            dd{margin:0}
            """;

    private final RunView run;

    Pages(RunView run) {
        this.run = run;
    }

    String home(String itemQuery, String userQuery) {
        Html page = start("recstage browse", itemQuery, userQuery);
        Catalogue catalogue = run.catalogue();
        if (!itemQuery.isBlank()) {
            Catalogue.Found found = catalogue.search(itemQuery, SEARCH_LIMIT);
            page.raw("<h2>Items matching “").text(itemQuery).raw("”: ").text(count(found.items().size(), found.total()))
                    .raw("</h2>\n<ol id=\"results\">\n");
            for (int item : found.items()) {
                page.raw("<li>");
                itemLink(page, item);
                page.raw(" <span class=\"id\">").text(catalogue.id(item)).raw("</span> <span class=\"tags\">")
                        .text(catalogue.tags(item)).raw("</span></li>\n");
            }
            page.raw("</ol>\n");
        }
        if (!userQuery.isBlank()) {
            List<RunView.UserMatch> users = run.findUsers(userQuery, SEARCH_LIMIT);
            page.raw("<h2>Users matching “").text(userQuery).raw("”: ").text(users.size() + (users.size() == SEARCH_LIMIT ? "+" : ""))
                    .raw("</h2>\n<ol id=\"users\">\n");
            for (RunView.UserMatch user : users) {
                page.raw("<li><a href=\"").text(href("/user", user.id())).raw("\">").text(user.id()).raw("</a></li>\n");
            }
            page.raw("</ol>\n");
        }
        if (itemQuery.isBlank() && userQuery.isBlank()) {
            page.raw("<p>Run <code>").text(run.root()).raw("</code>: ").text(catalogue.size()).raw(" items, ").text(run.users())
                    .raw(" users. Lists:</p>\n<ul>\n");
            for (ItemList list : run.itemLists()) {
                page.raw("<li>").text(list.label()).raw(": <code>").text(list.file()).raw("</code></li>\n");
            }
            run.recommendations().ifPresent(list -> page.raw("<li>").text(list.label()).raw(": <code>").text(list.file()).raw("</code></li>\n"));
            page.raw("</ul>\n<p>Search items by title or id, users by id.</p>\n");
        }
        return end(page);
    }

    /** The item's page, or empty when the run has no item of that id. */
    Optional<String> item(String id, int rows) {
        OptionalInt found = run.catalogue().indexOf(id);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        int item = found.getAsInt();
        Catalogue catalogue = run.catalogue();
        Html page = start(title(item), "", "");
        page.raw("<h1 id=\"item-title\">").text(title(item)).raw("</h1>\n<p class=\"id\">").text(catalogue.id(item)).raw("</p>\n<dl>\n");
        for (Map.Entry<String, Object> column : run.details(item).entrySet()) {
            if (column.getValue() != null && !column.getKey().equals("item_id") && !column.getKey().equals("title")) {
                page.raw("<dt>").text(column.getKey()).raw("</dt><dd>").text(column.getValue()).raw("</dd>\n");
            }
        }
        page.raw("</dl>\n<div class=\"lists\">\n");
        for (ItemList list : run.itemLists()) {
            listSection(page, list, item, rows, href("/item", catalogue.id(item)));
        }
        page.raw("</div>\n");
        return Optional.of(end(page));
    }

    /** The user's page, or empty when the run has no user of that id. */
    Optional<String> user(String id, int rows) {
        Optional<RunView.UserMatch> found = run.findUsers(id, 1).stream().filter(u -> u.id().equals(id)).findFirst();
        if (found.isEmpty()) {
            return Optional.empty();
        }
        int user = found.get().user();
        Html page = start("user " + id, "", id);
        page.raw("<h1>User ").text(id).raw("</h1>\n<div class=\"lists\">\n");
        RunView.History history = run.history(user, HISTORY_ROWS);
        page.raw("<section class=\"list\" id=\"list-history\"><h2>History <small>latest ")
                .text(count(history.events().size(), history.total())).raw(" events, oldest first</small></h2>\n<table>\n<tr>");
        List<String> columns = history.events().isEmpty() ? List.of() : List.copyOf(history.events().get(0).keySet());
        for (String column : columns) {
            page.raw("<th>").text(column).raw("</th>");
        }
        page.raw("<th>item</th></tr>\n");
        for (int e = 0; e < history.events().size(); e++) {
            page.raw("<tr>");
            for (String column : columns) {
                Object value = history.events().get(e).get(column);
                page.raw("<td>").text(value == null ? "" : value).raw("</td>");
            }
            page.raw("<td>");
            itemLink(page, history.items()[e]);
            page.raw("</td></tr>\n");
        }
        page.raw("</table></section>\n");
        run.recommendations().ifPresent(list -> listSection(page, list, user, rows, href("/user", id)));
        page.raw("</div>\n");
        return Optional.of(end(page));
    }

    String notFound(String what) {
        return end(start("not found", "", "").raw("<h1>Not found</h1>\n<p>").text(what).raw("</p>\n"));
    }

    private void listSection(Html page, ItemList list, int key, int rows, String self) {
        ItemList.Page top = list.top(key, rows);
        page.raw("<section class=\"list\" id=\"list-").text(list.label().toLowerCase(Locale.ROOT)).raw("\"><h2>").text(list.label())
                .raw(" <small>").text(list.file().getFileName()).raw(": ").text(count(top.entries().size(), top.total())).raw("</small></h2>\n");
        if (top.entries().size() < top.total()) {
            page.raw("<p><a href=\"").text(self + "&rows=" + top.total()).raw("\">show all ").text(top.total()).raw("</a></p>\n");
        }
        page.raw("<table>\n<tr><th>#</th><th>title</th><th>score</th>");
        for (String extra : list.extraColumns()) {
            page.raw("<th>").text(extra).raw("</th>");
        }
        page.raw("</tr>\n");
        for (ItemList.Entry entry : top.entries()) {
            page.raw("<tr><td class=\"num\">").text(entry.rank()).raw("</td><td>");
            if (entry.item() >= 0) {
                itemLink(page, entry.item());
                page.raw("<br><span class=\"tags\">").text(run.catalogue().tags(entry.item())).raw("</span>");
            } else {
                page.text(entry.itemId()).raw(" <small>(not in this run's items)</small>");
            }
            page.raw("</td><td class=\"num\">").text(String.format(Locale.ROOT, "%.4f", entry.score())).raw("</td>");
            for (int e = 0; e < entry.extras().size(); e++) {
                String value = entry.extras().get(e);
                OptionalInt because = list.extraColumns().get(e).equals("because") ? run.catalogue().indexOf(value) : OptionalInt.empty();
                page.raw("<td>");
                if (because.isPresent()) {
                    itemLink(page, because.getAsInt());
                } else {
                    page.text(value);
                }
                page.raw("</td>");
            }
            page.raw("</tr>\n");
        }
        page.raw("</table></section>\n");
    }

    private void itemLink(Html page, int item) {
        page.raw("<a class=\"item\" href=\"").text(href("/item", run.catalogue().id(item))).raw("\">").text(title(item)).raw("</a>");
    }

    private String title(int item) {
        String title = run.catalogue().title(item);
        return title.isBlank() ? "(no title) " + run.catalogue().id(item) : title;
    }

    private static String count(int shown, long total) {
        return shown == total ? Long.toString(total) : shown + " of " + total;
    }

    static String href(String path, String id) {
        return path + "?id=" + URLEncoder.encode(id, StandardCharsets.UTF_8);
    }

    private static Html start(String title, String itemQuery, String userQuery) {
        return new Html().raw("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").text(title)
                .raw("</title><style>").raw(STYLE).raw("</style></head><body>\n<header><a href=\"/\">recstage browse</a>")
                .raw("<form action=\"/\" method=\"get\"><input name=\"q\" id=\"q\" size=\"40\" placeholder=\"item title or id\" value=\"")
                .text(itemQuery).raw("\"><button type=\"submit\" id=\"search\">Search items</button></form>")
                .raw("<form action=\"/\" method=\"get\"><input name=\"u\" id=\"u\" size=\"16\" placeholder=\"user id\" value=\"")
                .text(userQuery).raw("\"><button type=\"submit\">Find user</button></form></header>\n<main>\n");
    }

    private static String end(Html page) {
        return page.raw("</main></body></html>\n").toString();
    }
}
