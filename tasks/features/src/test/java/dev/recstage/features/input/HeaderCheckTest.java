package dev.recstage.features.input;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeaderCheckTest {
    private static final List<Column> ITEMS = List.of(Column.required("item_id"), Column.optional("title"), Column.optional("tags"));

    @Test
    void aMisspeltOptionalColumnIsNamedWithTheMappingThatWouldReadIt() {
        List<String> warnings = HeaderCheck.warnings("items.csv", ITEMS, Map.of(), List.of("item_id", "titel", "tags"), "--items-map");
        assertEquals(List.of(
                "items.csv: no column 'title', but 'titel' looks like it; title stays empty unless mapped with --items-map title=titel",
                "items.csv: columns not used: titel (map one with --items-map COLUMN=NAME; columns are [item_id, title, tags])"), warnings);
    }

    @Test
    void aMappingToAnAbsentColumnNamesTheClosestColumn() {
        List<String> warnings = HeaderCheck.warnings("movies.csv", ITEMS, Map.of("item_id", "movieId", "tags", "genre"),
                List.of("movieId", "title", "genres"), "--items-map");
        assertEquals(List.of(
                "movies.csv: --items-map tags=genre: the file has no column 'genre' (closest: 'genres'); tags stays empty",
                "movies.csv: columns not used: genres (map one with --items-map COLUMN=NAME; columns are [item_id, title, tags])"), warnings);
    }

    @Test
    void aFileWhoseColumnsAreAllReadGetsNoWarning() {
        assertEquals(List.of(), HeaderCheck.warnings("items.csv", ITEMS, Map.of("title", "name"), List.of("item_id", "name", "tags"), "--items-map"));
        assertEquals(List.of(), HeaderCheck.warnings("items.csv", ITEMS, Map.of(), List.of("item_id"), "--items-map"),
                "absent optional columns with nothing like them are normal");
    }

    @Test
    void aHugeColumnNameIsNeitherComparedNorPrintedWhole() {
        String huge = "t".repeat(50_000_000);
        List<String> warnings = HeaderCheck.warnings("items.csv", ITEMS, Map.of(), List.of("item_id", huge), "--items-map");
        assertEquals(List.of("items.csv: columns not used: " + "t".repeat(60) + "… (map one with --items-map COLUMN=NAME; columns are "
                + "[item_id, title, tags])"), warnings);
    }

    @Test
    void distanceIsLevenshtein() {
        assertEquals(0, HeaderCheck.distance("title", "title"));
        assertEquals(2, HeaderCheck.distance("title", "titel"));
        assertEquals(1, HeaderCheck.distance("genre", "genres"));
        assertEquals(3, HeaderCheck.distance("kitten", "sitting"));
        assertEquals(5, HeaderCheck.distance("", "title"));
    }
}
