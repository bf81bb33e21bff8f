// The rich-text model the app draws: what md4c makes of headings, paragraphs,
// lists (nested, numbered), code blocks, and inline styles and links.
#include <gtest/gtest.h>

#include "lab/markdown.h"
#include "lab/rich_text.h"

namespace trapeze::lab {
namespace {

using K = Block::Kind;

TEST(RichText, HeadingsParagraphsAndSoftBreaks) {
  const RichText r = markdown_to_rich_text("# Title\n\nOne line\nand the next.\n\n### Small\n");
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].kind, K::Heading);
  EXPECT_EQ(r[0].level, 1);
  EXPECT_EQ(plain_text(r[0].spans), "Title");
  EXPECT_EQ(r[1].kind, K::Paragraph);
  EXPECT_EQ(plain_text(r[1].spans), "One line and the next.");
  EXPECT_EQ(r[2].level, 3);
}

TEST(RichText, InlineStylesAreFlattenedIntoSpans) {
  const RichText r = markdown_to_rich_text("a *em* **strong `code`** [link](https://example.org/x) &amp; &#65;\n");
  ASSERT_EQ(r.size(), 1u);
  const std::vector<Span>& s = r[0].spans;
  ASSERT_GE(s.size(), 6u);
  EXPECT_EQ(s[0].text, "a ");
  EXPECT_TRUE(s[1].emphasis);
  EXPECT_EQ(s[1].text, "em");
  EXPECT_TRUE(s[3].strong);
  EXPECT_FALSE(s[3].code);
  EXPECT_EQ(s[3].text, "strong ");
  EXPECT_TRUE(s[4].strong);
  EXPECT_TRUE(s[4].code);
  EXPECT_EQ(s[4].text, "code");
  EXPECT_EQ(s[6].text, "link");
  EXPECT_EQ(s[6].link, "https://example.org/x");
  EXPECT_EQ(s.back().text, " & A");  // entities decoded
  EXPECT_TRUE(s.back().link.empty());
}

TEST(RichText, ListsKeepDepthAndNumbers) {
  const RichText r = markdown_to_rich_text("1. first\n2. second\n   - inner\n3. third\n\n- bullet\n");
  ASSERT_EQ(r.size(), 5u);
  EXPECT_EQ(r[0].kind, K::ListItem);
  EXPECT_EQ(r[0].number, 1);
  EXPECT_EQ(r[0].depth, 1);
  EXPECT_EQ(plain_text(r[0].spans), "first");
  EXPECT_EQ(r[1].number, 2);
  EXPECT_EQ(r[2].depth, 2);
  EXPECT_EQ(r[2].number, 0);
  EXPECT_EQ(plain_text(r[2].spans), "inner");
  EXPECT_EQ(r[3].number, 3);
  EXPECT_EQ(r[4].number, 0);
  EXPECT_EQ(r[4].depth, 1);
}

TEST(RichText, CodeBlocksAreVerbatimAndHtmlIsText) {
  const RichText r = markdown_to_rich_text("```asm\n  li r1, 1 ; *not* emphasis\n```\n\n<b>bold?</b>\n\n---\n");
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].kind, K::Code);
  EXPECT_EQ(r[0].language, "asm");
  EXPECT_EQ(r[0].code, "  li r1, 1 ; *not* emphasis\n");
  EXPECT_EQ(r[1].kind, K::Paragraph);
  EXPECT_EQ(plain_text(r[1].spans), "<b>bold?</b>");
  EXPECT_EQ(r[2].kind, K::Rule);
}

TEST(RichText, BlocksKnowTheirLines) {
  const auto b = markdown_blocks("intro\n\n## Step\n\ntext\n\n```check x\nname: a\n```\n", 5);
  ASSERT_EQ(b.size(), 4u);
  EXPECT_EQ(b[0].line, 5);
  EXPECT_EQ(b[1].line, 7);
  EXPECT_EQ(b[2].line, 9);
  EXPECT_EQ(b[3].line, 11);
  EXPECT_EQ(b[3].info, "check x");
  EXPECT_TRUE(b[3].top_level);
}

TEST(RichText, NeverFailsOnOddInput) {
  EXPECT_TRUE(markdown_to_rich_text("").empty());
  static constexpr char kOdd[] = "\0**\xff\xfe[x](<";  // a NUL, bytes that are not UTF-8, an open link
  const std::string odd(kOdd, sizeof kOdd - 1);
  const RichText r = markdown_to_rich_text(odd);
  ASSERT_EQ(r.size(), 1u);  // one paragraph: the text is kept, not dropped
  const std::string text = plain_text(r[0].spans);
  EXPECT_NE(text.find("**"), std::string::npos) << text;  // an unclosed emphasis stays text
  EXPECT_NE(text.find("[x](<"), std::string::npos) << text;  // and so does an unclosed link
}

}  // namespace
TEST(RichText, OnlyWebAndSiteLinksOpen) {
  for (const char* ok : {"https://example.org/a?b#c", "HTTP://example.org", "docs.html#labs", "/labs/x.md",
                         "labs/lab1.md", "?q=1", "#top", "a/b:c"})
    EXPECT_TRUE(is_openable_link(ok)) << ok;
  for (const char* bad : {"", "javascript:alert(1)", "JavaScript:alert(1)", " javascript:x", "data:text/html,x",
                          "vbscript:x", "file:///etc/passwd", "//evil.example/x", "/\\evil.example", "\\\\host",
                          "http://a b", "java\tscript:x", "https://ex\x01" "ample.org", "mailto:x@y.z", "blob:https://x"})
    EXPECT_FALSE(is_openable_link(bad)) << bad;
  EXPECT_FALSE(is_openable_link(std::string(2001, 'a')));
}

}  // namespace trapeze::lab
