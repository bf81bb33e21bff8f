// Lab progress in share links and saved documents: lab=NAME&step=N in a
// fragment, the "lab" part of a document round-trips (answers, sources, results),
// and bad progress is refused with a message naming the field.
#include "scenario/lab_progress.h"

#include <gtest/gtest.h>

#include "scenario/share_link.h"

namespace trapeze::scenario::lab {
namespace {

Progress sample() {
  Progress p;
  p.open = "uk-bit";
  LabProgress& l = p.labs["uk-bit"];
  l.step = 3;
  l.at(1).answers["traps"] = "12";
  l.at(1).checked = true;
  l.at(1).results_json = R"({"lab":"uk-bit","passed":false,"checks":[{"id":"a","passed":false}]})";
  l.at(3).sources["mode-check"] = "  li r1, 1\n  halt\n";
  p.labs["other"].step = 2;
  return p;
}

std::string error_of(std::string_view text) {
  std::string error;
  EXPECT_FALSE(parse(text, &error).has_value()) << text;
  return error;
}

TEST(LabProgress, RoundTripsThroughJson) {
  const Progress p = sample();
  const std::string text = to_json(p);
  std::string error;
  auto back = parse(text, &error);
  ASSERT_TRUE(back) << error;
  EXPECT_EQ(*back, p);
  EXPECT_EQ(to_json(*back), text);
}

TEST(LabProgress, OnlyKeepsOneLab) {
  auto back = parse(to_json(sample(), "uk-bit"), nullptr);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->labs.size(), 1u);
  EXPECT_EQ(back->labs.count("uk-bit"), 1u);
  EXPECT_EQ(back->open, "uk-bit");
}

TEST(LabProgress, RefusesBadFieldsByName) {
  EXPECT_EQ(error_of("[]"), "lab: expected a JSON object");
  EXPECT_EQ(error_of(R"({"open":"Bad Name"})"), "lab.open: expected a lab name (letters, digits, _ or -)");
  EXPECT_EQ(error_of(R"({"labs":{"x":{"step":0}}})"), "lab.labs.x.step: expected a step number from 1 to 99");
  EXPECT_EQ(error_of(R"({"labs":{"x":{"steps":[{"answers":{"p":3}}]}}})"), "lab.labs.x.steps[0].answers.p: expected text");
  EXPECT_EQ(error_of(R"({"labs":{"x":{"steps":[{"checked":"yes"}]}}})"),
            "lab.labs.x.steps[0].checked: expected true or false");
  EXPECT_EQ(error_of(R"({"labs":{"x":{"steps":[{"run":1}]}}})"),
            "lab.labs.x.steps[0].run: unknown key (expected answers, checked, sources, results)");
  EXPECT_EQ(error_of(R"({"labs":{"../x":{}}})"), "lab.labs: \"../x\" is not a lab name (letters, digits, _ or -)");
  EXPECT_EQ(error_of(std::string(40, '[') + std::string(40, ']')), "lab: nested too deeply");
  const std::string long_answer = R"({"labs":{"x":{"steps":[{"answers":{"p":")" + std::string(201, '9') + "\"}}]}}}";
  EXPECT_EQ(error_of(long_answer), "lab.labs.x.steps[0].answers.p: longer than 200 characters");
}

TEST(LabShareLink, FragmentNamesLabAndStep) {
  std::string error;
  auto f = share::parse_fragment("#lab=uk-bit&step=3", &error);
  ASSERT_TRUE(f) << error;
  EXPECT_EQ(f->lab, "uk-bit");
  EXPECT_EQ(f->step, 3);
  EXPECT_TRUE(f->data.empty());
  EXPECT_EQ(share::format_fragment(*f), "lab=uk-bit&step=3");
  EXPECT_FALSE(share::parse_fragment("lab=<script>", &error));
  EXPECT_EQ(error, "lab: \"<script>\" is not a lab name (letters, digits, _ or -, at most 64 characters)");
  EXPECT_FALSE(share::parse_fragment("lab=x&step=0", &error));
  EXPECT_EQ(error, "step: expected a step number from 1 to 99, got \"0\"");
  EXPECT_FALSE(share::parse_fragment("lab=x&step=1e3", &error));
  EXPECT_FALSE(share::parse_fragment("step=2", &error));
  EXPECT_EQ(error, "step: a step needs a lab (lab=NAME&step=N)");
}

TEST(LabShareLink, DocumentCarriesProgress) {
  const std::string scenario = R"({"version":1,"name":"x","guests":[{"name":"g","source":"  halt\n"}]})";
  const std::string progress = to_json(sample());
  std::string error;
  auto doc = share::encode_document(scenario, {}, &error, progress);
  ASSERT_TRUE(doc) << error;
  auto back = share::decode_document(*doc, false, &error);
  ASSERT_TRUE(back) << error;
  EXPECT_EQ(back->lab_json, progress);
  EXPECT_FALSE(share::encode_document(scenario, {}, &error, R"({"labs":[]})"));
  EXPECT_EQ(error, "lab.labs: expected an object of labs by name");
  EXPECT_FALSE(share::decode_document(R"({"trapeze":1,"scenario":)" + scenario + R"(,"lab":{"open":7}})", false, &error));
  EXPECT_EQ(error, "lab.open: expected a lab name (letters, digits, _ or -)");
}

// Every prediction id the lab parser accepts is kept by the progress codec, and
// every lab name a file may have: one rule for both (an answer the codec refused
// would stop every autosave).
TEST(LabProgress, KeepsEveryIdAndNameTheLabsAllow) {
  Progress p;
  p.open = "Lab7-Final_2";
  p.labs[p.open].at(1).answers["s1.Traps-2_b"] = "12";
  const std::string text = to_json(p);
  std::string error;
  const auto back = parse(text, &error);
  ASSERT_TRUE(back) << error;
  EXPECT_EQ(*back, p);
  auto doc = share::encode_document(R"({"version":1,"guests":[{"name":"g","source":"halt"}]})", {}, &error, text);
  EXPECT_TRUE(doc) << error;
  EXPECT_TRUE(is_prediction_id("s1.Traps-2_b"));
  EXPECT_FALSE(is_lab_name("s1.traps"));  // a '.' is for ids, not file names
  EXPECT_FALSE(is_lab_name("lab 2"));
  EXPECT_FALSE(is_prediction_id(std::string(kMaxLabNameChars + 1, 'a')));
}

}  // namespace
}  // namespace trapeze::scenario::lab
