// The panel layout as a tiling: a binary tree of splits whose leaves are panels,
// placed into the work area in whole pixels so that every pixel belongs to
// exactly one panel (nothing overlaps, nothing is left over). The tree stores
// proportions, so a window resize keeps the student's arrangement; where a
// split would leave a panel below its minimum size it moves, if both sides fit.
// Pure data and arithmetic: no ImGui here (tests/frontend/tiling_test.cpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

namespace trapeze::layout {

struct Rect {
  int x = 0, y = 0, w = 0, h = 0;
  int right() const { return x + w; }
  int bottom() const { return y + h; }
  bool contains(int px, int py) const { return px >= x && px < right() && py >= y && py < bottom(); }
  bool operator==(const Rect&) const = default;
};

// What one panel asks of the tiling (the caller's panel table, in pixels).
struct PanelNeeds {
  int id = 0;             // the caller's panel id
  int min_w = 0, min_h = 0;  // below these the panel's content is cut
  float weight = 1;       // the share of the area it should get, relative to the others
  float priority = 1;     // how much falling below its minimum size costs, relative to the others
  bool stack = false;     // short: may share a column with the next short panel
  bool operator==(const PanelNeeds&) const = default;
};

struct Placed {
  int id;
  Rect rect;
};

class Tiling {
 public:
  // The best of a few arrangements of `panels` (kept in their order) for `area`:
  // rows of tiles, with short panels stacked in pairs or not, or the first panel
  // as a full-height column beside rows of the others. Scored by how far tiles
  // fall below their minimum sizes, then by area share and shape.
  static Tiling make_default(const std::vector<PanelNeeds>& panels, const Rect& area);

  bool empty() const { return root_ < 0; }
  bool contains(int id) const;
  std::vector<int> panels() const;  // the leaves, left to right / top to bottom

  // Every panel's rectangle in `area`. `needs` gives the minimum sizes (panels
  // missing from it have none).
  std::vector<Placed> place(const Rect& area, const std::vector<PanelNeeds>& needs) const;

  // Adds a panel by splitting the largest tile (as placed in `area`) that holds
  // both at their minimum sizes (`needs` includes the new panel), across its
  // longer side if both fit that way; into an empty tiling, it takes the whole area.
  void insert(int id, const Rect& area, const std::vector<PanelNeeds>& needs);
  // Removes a panel: its sibling takes its place.
  void remove(int id);
  // Moves the split lines around `id` so that its tile becomes `wanted` (the
  // student resized the panel) as far as the splits allow.
  void resize(int id, const Rect& wanted, const Rect& area, const std::vector<PanelNeeds>& needs);
  // Exchanges two panels' tiles (the student dropped one panel on another).
  void swap(int a, int b);

 private:
  enum class Split : uint8_t { Leaf, SideBySide, Stacked };
  struct Node {
    Split split = Split::Leaf;
    int id = -1;         // a leaf's panel
    int a = -1, b = -1;  // a split's children: left/top, right/bottom
    float ratio = 0.5f;  // the first child's share
  };
  struct Size {  // a subtree's minimum, and the highest priority in it
    int w = 0, h = 0;
    float priority = 0;
  };

  int leaf(int id);
  int join(Split split, int a, int b, float ratio);
  int build_row(const std::vector<std::vector<PanelNeeds>>& units, size_t begin, size_t end, Split along);
  int build_unit(const std::vector<PanelNeeds>& unit);
  // The first node (depth first) that `match` accepts, or -1.
  int first_node(const std::function<bool(const Node&)>& match) const;
  int find_leaf(int id) const;
  int parent_of(int node) const;
  float weight_of(int node, const std::vector<PanelNeeds>& needs) const;
  Size min_size(int node, const std::vector<PanelNeeds>& needs) const;
  void place_node(int node, const Rect& r, const std::vector<PanelNeeds>& needs, std::vector<Placed>* out,
                  std::vector<Rect>* node_rects) const;
  std::vector<Rect> node_rects(const Rect& area, const std::vector<PanelNeeds>& needs) const;

  std::vector<Node> nodes_;
  int root_ = -1;
};

// How badly a placement serves the panels: 0 is perfect. Tiles below their
// minimum sizes cost most; then a tile's area share against its weight share,
// then a shape far from landscape.
double placement_cost(const std::vector<Placed>& placed, const std::vector<PanelNeeds>& needs);

}  // namespace trapeze::layout
