package dev.recstage.tools.browse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class HtmlTest {
    @Test
    void textCannotOpenATagEndAnAttributeOrStartAnEntity() {
        assertEquals("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp;amp; &quot;q&quot; 健康",
                new Html().text("<script>alert('x')</script> &amp; \"q\" 健康").toString());
    }

    @Test
    void markupGoesInAsIs() {
        assertEquals("<b>&lt;b&gt;</b>", new Html().raw("<b>").text("<b>").raw("</b>").toString());
    }
}
