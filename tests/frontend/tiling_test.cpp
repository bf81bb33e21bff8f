// The panel tiling (wasm/layout/tiling.h) with the real panel table
// (panel_list.h): every placement covers the work area exactly (nothing
// overlaps, nothing is outside, nothing is left over), the default layout gives
// every panel its minimum size at the common window sizes, resizes keep the
// proportions, a new panel splits the largest tile, and the student's resize
// and swap move only what they should.
#include "layout/tiling.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>

#include "layout/panel_needs.h"

namespace trapeze::layout {
namespace {

using ui::kPanelCount;
constexpr float kEm = 15;  // the app's font size at 100%

std::array<bool, kPanelCount> default_open() {
  std::array<bool, kPanelCount> open{};
  for (size_t i = 0; i < kPanelCount; ++i) open[i] = ui::kPanels[i].open_by_default;
  return open;
}

std::string describe(const std::vector<Placed>& placed) {
  std::string s;
  for (const Placed& p : placed)
    s += std::string(ui::kPanels[size_t(p.id)].name) + " " + std::to_string(p.rect.x) + "," +
         std::to_string(p.rect.y) + " " + std::to_string(p.rect.w) + "x" + std::to_string(p.rect.h) + "\n";
  return s;
}

// Every pixel of `area` in exactly one tile: tiles inside, pairwise disjoint,
// areas summing to the whole.
void expect_exact_cover(const std::vector<Placed>& placed, const Rect& area, size_t panels) {
  ASSERT_EQ(placed.size(), panels) << describe(placed);
  int64_t sum = 0;
  for (size_t i = 0; i < placed.size(); ++i) {
    const Rect& r = placed[i].rect;
    EXPECT_GE(r.x, area.x);
    EXPECT_GE(r.y, area.y);
    EXPECT_LE(r.right(), area.right()) << describe(placed);
    EXPECT_LE(r.bottom(), area.bottom()) << describe(placed);
    EXPECT_GE(r.w, 0);
    EXPECT_GE(r.h, 0);
    sum += int64_t(r.w) * r.h;
    for (size_t j = i + 1; j < placed.size(); ++j) {
      const Rect& o = placed[j].rect;
      const bool apart = r.right() <= o.x || o.right() <= r.x || r.bottom() <= o.y || o.bottom() <= r.y;
      EXPECT_TRUE(apart) << "overlap:\n" << describe(placed);
    }
  }
  EXPECT_EQ(sum, int64_t(area.w) * area.h) << describe(placed);
}

void expect_minimums(const std::vector<Placed>& placed, const std::vector<PanelNeeds>& needs,
                     const std::string& where) {
  for (const Placed& p : placed)
    for (const PanelNeeds& n : needs)
      if (n.id == p.id) {
        EXPECT_GE(p.rect.w, n.min_w) << where << ": " << ui::kPanels[size_t(p.id)].name << "\n" << describe(placed);
        EXPECT_GE(p.rect.h, n.min_h) << where << ": " << ui::kPanels[size_t(p.id)].name << "\n" << describe(placed);
      }
}

const Rect* tile_of(const std::vector<Placed>& placed, int id) {
  for (const Placed& p : placed)
    if (p.id == id) return &p.rect;
  return nullptr;
}

TEST(Tiling, DefaultLayoutCoversEveryWindowSizeExactly) {
  const auto needs = ui::panel_needs(default_open(), 3, kEm);
  for (int w = 800; w <= 2560; w += 117)
    for (int h = 600; h <= 1440; h += 97) {
      const Rect area{0, 22, w, h - 22};
      const Tiling t = Tiling::make_default(needs, area);
      expect_exact_cover(t.place(area, needs), area, needs.size());
    }
}

// The common sizes: every default panel at least its minimum size, for
// one to four guests (the guests panel grows a row, the counters a column, per
// guest). On a first visit the welcome panel is open too: then the guests,
// registers and counters still get theirs.
TEST(Tiling, DefaultLayoutGivesEveryPanelItsMinimumAtCommonSizes) {
  const int sizes[][2] = {{1280, 800}, {1366, 768}, {1920, 1080}, {2560, 1440}};
  for (bool welcome : {false, true})
    for (size_t guests = 1; guests <= 4; ++guests)
      for (const auto& s : sizes) {
        auto open = default_open();
        open[size_t(ui::PanelId::welcome)] = welcome;
        auto needs = ui::panel_needs(open, guests, kEm);
        const Rect area{0, 22, s[0], s[1] - 22};
        const auto placed = Tiling::make_default(needs, area).place(area, needs);
        expect_exact_cover(placed, area, needs.size());
        if (welcome)
          std::erase_if(needs, [](const PanelNeeds& n) {
            return n.id != int(ui::PanelId::guests) && n.id != int(ui::PanelId::registers) &&
                   n.id != int(ui::PanelId::counters);
          });
        expect_minimums(placed, needs, std::to_string(s[0]) + "x" + std::to_string(s[1]) + " with " +
                                           std::to_string(guests) + " guests" + (welcome ? ", welcome open" : ""));
      }
}

// Embeds: the guests panel, whatever else is open, gets the height of all its rows.
TEST(Tiling, EmbedsGiveTheGuestsPanelItsRows) {
  const std::vector<std::vector<ui::PanelId>> lists = {
      {ui::PanelId::guests, ui::PanelId::counters, ui::PanelId::events},
      {ui::PanelId::guests},
      {ui::PanelId::guests, ui::PanelId::editor},
      {ui::PanelId::guests, ui::PanelId::editor, ui::PanelId::registers, ui::PanelId::disassembly,
       ui::PanelId::counters, ui::PanelId::plots, ui::PanelId::events}};
  for (const auto& list : lists)
    for (int height : {360, 520, 720})
      for (int width : {600, 900, 1200})
        for (size_t guests = 1; guests <= 4; ++guests) {
          std::array<bool, kPanelCount> open{};
          for (ui::PanelId p : list) open[size_t(p)] = true;
          const auto needs = ui::panel_needs(open, guests, kEm, true);
          const Rect area{0, 0, width, height};
          const auto placed = Tiling::make_default(needs, area).place(area, needs);
          expect_exact_cover(placed, area, needs.size());
          const Rect* g = tile_of(placed, int(ui::PanelId::guests));
          ASSERT_NE(g, nullptr);
          const PanelNeeds gn = ui::panel_needs(size_t(ui::PanelId::guests), guests, kEm, true);
          EXPECT_GE(g->h, gn.min_h) << width << "x" << height << ", " << list.size() << " panels, " << guests
                                    << " guests\n" << describe(placed);
          EXPECT_GE(g->w, std::min(gn.min_w, width)) << width << "x" << height << "\n" << describe(placed);
        }
}

// Any subset of the table (other helpers add panels: nothing here is a fixed set),
// at any size, in any order of opening and closing.
TEST(Tiling, AnyPanelsAnySizeAnyOpeningOrderCoverExactly) {
  std::mt19937 rng(16);
  for (int round = 0; round < 300; ++round) {
    const Rect area{int(rng() % 50), int(rng() % 30), 300 + int(rng() % 2400), 200 + int(rng() % 1300)};
    std::array<bool, kPanelCount> open{};
    for (size_t i = 0; i < kPanelCount; ++i) open[i] = rng() % 3 == 0;
    open[rng() % kPanelCount] = true;
    auto needs = ui::panel_needs(open, 1 + rng() % 4, kEm);
    Tiling t = Tiling::make_default(needs, area);
    expect_exact_cover(t.place(area, needs), area, needs.size());
    for (int step = 0; step < 6; ++step) {
      const size_t p = rng() % kPanelCount;
      open[p] = !open[p];
      if (open[p])
        t.insert(int(p), area, ui::panel_needs(open, 2, kEm));
      else
        t.remove(int(p));
      needs = ui::panel_needs(open, 2, kEm);
      expect_exact_cover(t.place(area, needs), area, needs.size());
    }
    if (HasFailure()) return;
  }
}

// A window resize keeps every tile's proportions (the minimums fit at both sizes).
TEST(Tiling, ResizingTheWindowKeepsProportions) {
  const auto needs = ui::panel_needs(default_open(), 2, kEm);
  const Rect small{0, 0, 2400, 1400}, large{0, 0, 4800, 2800};
  const Tiling t = Tiling::make_default(needs, small);
  const auto a = t.place(small, needs), b = t.place(large, needs);
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].id, b[i].id);
    EXPECT_NEAR(b[i].rect.x, 2 * a[i].rect.x, 2);
    EXPECT_NEAR(b[i].rect.w, 2 * a[i].rect.w, 2);
    EXPECT_NEAR(b[i].rect.y, 2 * a[i].rect.y, 2);
    EXPECT_NEAR(b[i].rect.h, 2 * a[i].rect.h, 2);
  }
}

// A panel opened later splits the largest tile that holds both at their
// minimum sizes; the others keep their tiles.
TEST(Tiling, InsertSplitsTheLargestTileOnly) {
  for (ui::PanelId opened : {ui::PanelId::tlb, ui::PanelId::help, ui::PanelId::memory}) {
    auto open = default_open();
    const auto needs = ui::panel_needs(open, 1, kEm);
    const Rect area{0, 22, 1920, 1058};
    Tiling t = Tiling::make_default(needs, area);
    const auto before = t.place(area, needs);
    open[size_t(opened)] = true;
    const auto now = ui::panel_needs(open, 1, kEm);
    const PanelNeeds& add = *std::find_if(now.begin(), now.end(), [&](auto& n) { return n.id == int(opened); });
    t.insert(int(opened), area, now);
    const auto after = t.place(area, now);
    expect_exact_cover(after, area, now.size());
    expect_minimums(after, now, "after opening " + std::string(ui::kPanels[size_t(opened)].name));
    // Exactly one old tile changed, and it is shared by the new panel; no larger tile could hold both.
    const Rect* added = tile_of(after, int(opened));
    ASSERT_NE(added, nullptr);
    int changed = 0;
    for (const Placed& p : before) {
      if (*tile_of(after, p.id) == p.rect) continue;
      ++changed;
      const Rect& old = p.rect;
      const Rect& kept = *tile_of(after, p.id);
      EXPECT_EQ(int64_t(added->w) * added->h + int64_t(kept.w) * kept.h, int64_t(old.w) * old.h);
      EXPECT_TRUE(added->x >= old.x && added->right() <= old.right() && added->y >= old.y &&
                  added->bottom() <= old.bottom());
      for (const Placed& q : before) {
        if (int64_t(q.rect.w) * q.rect.h <= int64_t(old.w) * old.h) continue;
        const PanelNeeds& qn = *std::find_if(now.begin(), now.end(), [&](auto& n) { return n.id == q.id; });
        const bool fits = (q.rect.w >= qn.min_w + add.min_w && q.rect.h >= std::max(qn.min_h, add.min_h)) ||
                          (q.rect.h >= qn.min_h + add.min_h && q.rect.w >= std::max(qn.min_w, add.min_w));
        EXPECT_FALSE(fits) << ui::kPanels[size_t(q.id)].name << " was larger and could hold both";
      }
    }
    EXPECT_EQ(changed, 1) << describe(after);
  }
}

TEST(Tiling, RemoveGivesTheTileBackAndKeepsTheRest) {
  auto needs = ui::panel_needs(default_open(), 1, kEm);
  const Rect area{0, 0, 1600, 900};
  Tiling t = Tiling::make_default(needs, area);
  const size_t before = t.panels().size();
  t.remove(int(ui::PanelId::events));
  EXPECT_FALSE(t.contains(int(ui::PanelId::events)));
  EXPECT_EQ(t.panels().size(), before - 1);
  std::erase_if(needs, [](const PanelNeeds& n) { return n.id == int(ui::PanelId::events); });
  expect_exact_cover(t.place(area, needs), area, needs.size());
  for (int id : t.panels()) t.remove(id);
  EXPECT_TRUE(t.empty());
  t.insert(int(ui::PanelId::help), area, {});
  const auto only = t.place(area, {});
  ASSERT_EQ(only.size(), 1u);
  EXPECT_EQ(only[0].rect, area);
}

// The student drags a panel's right and bottom edges: the splits move there,
// and stay as proportions when the window then grows.
TEST(Tiling, StudentResizeMovesTheSplitLines) {
  std::array<bool, kPanelCount> open{};
  open[size_t(ui::PanelId::guests)] = open[size_t(ui::PanelId::editor)] = true;
  open[size_t(ui::PanelId::counters)] = true;
  const auto needs = ui::panel_needs(open, 1, kEm);
  const Rect area{0, 0, 1800, 1000};
  Tiling t = Tiling::make_default(needs, area);
  const int g = int(ui::PanelId::guests);
  Rect wanted = *tile_of(t.place(area, needs), g);
  ASSERT_TRUE(wanted.right() < area.right() || wanted.bottom() < area.bottom());
  if (wanted.right() < area.right()) wanted.w += 60;
  if (wanted.bottom() < area.bottom()) wanted.h += 60;
  t.resize(g, wanted, area, needs);
  const auto placed = t.place(area, needs);
  EXPECT_EQ(*tile_of(placed, g), wanted) << describe(placed);
  expect_exact_cover(placed, area, needs.size());
  const Rect twice{0, 0, 3600, 2000};
  EXPECT_NEAR(tile_of(t.place(twice, needs), g)->w, 2 * wanted.w, 2);
  EXPECT_NEAR(tile_of(t.place(twice, needs), g)->h, 2 * wanted.h, 2);
}

TEST(Tiling, SwapExchangesTiles) {
  const auto needs = ui::panel_needs(default_open(), 1, kEm);
  const Rect area{0, 0, 1600, 900};
  Tiling t = Tiling::make_default(needs, area);
  const int a = int(ui::PanelId::guests), b = int(ui::PanelId::events);
  const auto before = t.place(area, needs);
  t.swap(a, b);
  const auto after = t.place(area, needs);
  // Minimum sizes may move a split a little; the tiles trade places.
  EXPECT_EQ(tile_of(after, a)->x, tile_of(before, b)->x);
  EXPECT_EQ(tile_of(after, b)->x, tile_of(before, a)->x);
  expect_exact_cover(after, area, needs.size());
}

// Splits give way to minimum sizes when both sides fit, and share the shortfall when not.
TEST(Tiling, SplitsHonourMinimumsWhenTheyFit) {
  std::vector<PanelNeeds> needs = {{1, 500, 100, 1, 1, false}, {2, 100, 100, 9, 1, false}};
  const Tiling t = Tiling::make_default(needs, Rect{0, 0, 2000, 300});
  auto placed = t.place(Rect{0, 0, 2000, 300}, needs);
  expect_exact_cover(placed, Rect{0, 0, 2000, 300}, 2);
  ASSERT_EQ(tile_of(placed, 1)->y, tile_of(placed, 2)->y) << "side by side\n" << describe(placed);
  EXPECT_EQ(tile_of(placed, 1)->w, 500) << describe(placed);  // its weight's share is 200
  // 700 wide: 500 + 100 fit.
  placed = t.place(Rect{0, 0, 700, 300}, needs);
  EXPECT_GE(tile_of(placed, 1)->w, 500);
  EXPECT_GE(tile_of(placed, 2)->w, 100);
  // 300 wide: neither fits; at equal priorities shared 5:1.
  placed = t.place(Rect{0, 0, 300, 300}, needs);
  EXPECT_EQ(tile_of(placed, 1)->w, 250);
  EXPECT_EQ(tile_of(placed, 2)->w, 50);
  // The higher priority gets its minimum.
  needs[1].priority = 5;
  placed = t.place(Rect{0, 0, 300, 300}, needs);
  EXPECT_EQ(tile_of(placed, 2)->w, 100);
}

}  // namespace
}  // namespace trapeze::layout
