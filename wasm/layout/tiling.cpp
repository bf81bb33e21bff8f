#include "layout/tiling.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

namespace trapeze::layout {
namespace {

const PanelNeeds* find_needs(const std::vector<PanelNeeds>& needs, int id) {
  for (const PanelNeeds& n : needs)
    if (n.id == id) return &n;
  return nullptr;
}

float total_weight(const std::vector<PanelNeeds>& unit) {
  float w = 0;
  for (const PanelNeeds& p : unit) w += p.weight;
  return w;
}

// Consecutive short panels paired into one column (when `stack`), else one panel each.
std::vector<std::vector<PanelNeeds>> units_of(const std::vector<PanelNeeds>& panels, bool stack) {
  std::vector<std::vector<PanelNeeds>> units;
  for (size_t i = 0; i < panels.size(); ++i) {
    if (stack && panels[i].stack && i + 1 < panels.size() && panels[i + 1].stack) {
      units.push_back({panels[i], panels[i + 1]});
      ++i;
    } else {
      units.push_back({panels[i]});
    }
  }
  return units;
}

// Where `count` rows of `units` [begin, end) start, balanced by weight: row k
// starts at the unit boundary whose running weight is nearest k/count of the
// total, every row holding at least one unit.
std::vector<size_t> row_starts(const std::vector<std::vector<PanelNeeds>>& units, size_t begin, size_t end,
                               size_t count) {
  std::vector<float> before(end - begin + 1, 0);  // weight before unit begin+i
  for (size_t i = begin; i < end; ++i) before[i - begin + 1] = before[i - begin] + total_weight(units[i]);
  const float total = before.back();
  std::vector<size_t> starts{begin};
  for (size_t k = 1; k < count; ++k) {
    const float target = total * float(k) / float(count);
    size_t best = starts.back() + 1;
    const size_t last = end - (count - k);  // leave one unit for each later row
    for (size_t i = best; i <= last; ++i)
      if (std::abs(before[i - begin] - target) < std::abs(before[best - begin] - target)) best = i;
    starts.push_back(best);
  }
  return starts;
}

// Where rows of `units` [begin, end) start when each row takes units while
// their minimum widths fit in `width` (a flow, like words on lines).
std::vector<size_t> flow_starts(const std::vector<std::vector<PanelNeeds>>& units, size_t begin, size_t end,
                                int width) {
  std::vector<size_t> starts{begin};
  int used = 0;
  for (size_t i = begin; i < end; ++i) {
    int w = 0;
    for (const PanelNeeds& p : units[i]) w = std::max(w, p.min_w);
    if (i > starts.back() && used + w > width) starts.push_back(i), used = 0;
    used += w;
  }
  return starts;
}

// A split position: `ratio` of `size`, moved so both sides get their minimum
// when both fit; else the side with the higher priority gets its minimum (if
// it fits at all), or at equal priorities they share in proportion to the minimums.
int split_at(int size, float ratio, int min_a, int min_b, float priority_a, float priority_b) {
  int a = int(std::lround(double(size) * double(ratio)));
  if (min_a + min_b <= size)
    a = std::clamp(a, min_a, size - min_b);
  else if (priority_a > priority_b && min_a <= size)
    a = min_a;
  else if (priority_b > priority_a && min_b <= size)
    a = size - min_b;
  else if (min_a + min_b > 0)
    a = int(std::lround(double(size) * double(min_a) / double(min_a + min_b)));
  return std::clamp(a, 0, size);
}

}  // namespace

int Tiling::leaf(int id) {
  nodes_.push_back(Node{Split::Leaf, id, -1, -1, 0.5f});
  return int(nodes_.size()) - 1;
}

int Tiling::join(Split split, int a, int b, float ratio) {
  nodes_.push_back(Node{split, -1, a, b, ratio});
  return int(nodes_.size()) - 1;
}

int Tiling::build_unit(const std::vector<PanelNeeds>& unit) {
  if (unit.size() == 1) return leaf(unit[0].id);
  const float wa = unit[0].weight, wb = unit[1].weight;
  return join(Split::Stacked, leaf(unit[0].id), leaf(unit[1].id), wa + wb > 0 ? wa / (wa + wb) : 0.5f);
}

// Units [begin, end) one after another `along` a direction, each its weight's share.
int Tiling::build_row(const std::vector<std::vector<PanelNeeds>>& units, size_t begin, size_t end, Split along) {
  if (end - begin == 1) return build_unit(units[begin]);
  float rest = 0;
  for (size_t i = begin; i < end; ++i) rest += total_weight(units[i]);
  const float first = total_weight(units[begin]);
  const int a = build_unit(units[begin]);
  const int b = build_row(units, begin + 1, end, along);
  return join(along, a, b, rest > 0 ? first / rest : 0.5f);
}

Tiling Tiling::make_default(const std::vector<PanelNeeds>& panels, const Rect& area) {
  Tiling best;
  if (panels.empty()) return best;
  double best_cost = std::numeric_limits<double>::infinity();
  auto consider = [&](Tiling t) {
    const double cost = placement_cost(t.place(area, panels), panels);
    if (cost < best_cost - 1e-9) best_cost = cost, best = std::move(t);
  };
  // Rows [begin, end) of `units` stacked: `count` rows balanced by weight, or
  // (count 0) as many as a flow into `width` makes.
  auto rows = [](Tiling& t, const std::vector<std::vector<PanelNeeds>>& units, size_t begin, size_t end,
                 size_t count, int width) {
    const std::vector<size_t> starts =
        count ? row_starts(units, begin, end, count) : flow_starts(units, begin, end, width);
    count = starts.size();
    int root = -1;
    for (size_t k = count; k-- > 0;) {  // from the last row up, each joined above the rest
      const size_t row_end = k + 1 < count ? starts[k + 1] : end;
      const int row = t.build_row(units, starts[k], row_end, Split::SideBySide);
      if (root < 0) {
        root = row;
        continue;
      }
      float w_row = 0, w_rest = 0;
      for (size_t i = starts[k]; i < row_end; ++i) w_row += total_weight(units[i]);
      for (size_t i = row_end; i < end; ++i) w_rest += total_weight(units[i]);
      root = t.join(Split::Stacked, row, root, w_row + w_rest > 0 ? w_row / (w_row + w_rest) : 0.5f);
    }
    return root;
  };
  for (bool stack : {true, false}) {
    const auto units = units_of(panels, stack);
    const size_t n = units.size();
    for (size_t count = 0; count <= std::min<size_t>(n, 6); ++count) {
      Tiling t;
      t.root_ = rows(t, units, 0, n, count, area.w);
      consider(std::move(t));
    }
    // The first panel (the most important) as a full-height column beside the rest.
    for (size_t count = 0; n >= 2 && count <= std::min<size_t>(n - 1, 4); ++count) {
      Tiling t;
      const int lead = t.build_unit(units[0]);
      const float w0 = total_weight(units[0]), all = total_weight(panels);
      int lead_w = 0;
      for (const PanelNeeds& p : units[0]) lead_w = std::max(lead_w, p.min_w);
      const int rest_w = area.w - std::max(lead_w, int(float(area.w) * w0 / std::max(all, 1e-6f)));
      const int rest = rows(t, units, 1, n, count, rest_w);
      t.root_ = t.join(Split::SideBySide, lead, rest, all > 0 ? w0 / all : 0.5f);
      consider(std::move(t));
    }
  }
  return best;
}

bool Tiling::contains(int id) const { return find_leaf(id) >= 0; }

std::vector<int> Tiling::panels() const {
  std::vector<int> out;
  std::vector<int> todo;
  if (root_ >= 0) todo.push_back(root_);
  while (!todo.empty()) {
    const Node& n = nodes_[size_t(todo.back())];
    todo.pop_back();
    if (n.split == Split::Leaf) {
      out.push_back(n.id);
    } else {
      todo.push_back(n.b);
      todo.push_back(n.a);
    }
  }
  return out;
}

int Tiling::first_node(const std::function<bool(const Node&)>& match) const {
  std::vector<int> todo;
  if (root_ >= 0) todo.push_back(root_);
  while (!todo.empty()) {
    const int i = todo.back();
    todo.pop_back();
    const Node& n = nodes_[size_t(i)];
    if (match(n)) return i;
    if (n.split != Split::Leaf) todo.push_back(n.a), todo.push_back(n.b);
  }
  return -1;
}

int Tiling::find_leaf(int id) const {
  return first_node([id](const Node& n) { return n.split == Split::Leaf && n.id == id; });
}

int Tiling::parent_of(int node) const {
  return first_node([node](const Node& n) { return n.split != Split::Leaf && (n.a == node || n.b == node); });
}

float Tiling::weight_of(int node, const std::vector<PanelNeeds>& needs) const {
  const Node& n = nodes_[size_t(node)];
  if (n.split != Split::Leaf) return weight_of(n.a, needs) + weight_of(n.b, needs);
  const PanelNeeds* p = find_needs(needs, n.id);
  return p ? p->weight : 1.0f;
}

Tiling::Size Tiling::min_size(int node, const std::vector<PanelNeeds>& needs) const {
  const Node& n = nodes_[size_t(node)];
  if (n.split == Split::Leaf) {
    const PanelNeeds* p = find_needs(needs, n.id);
    return p ? Size{p->min_w, p->min_h, p->priority} : Size{};
  }
  const Size a = min_size(n.a, needs), b = min_size(n.b, needs);
  const float priority = std::max(a.priority, b.priority);
  return n.split == Split::SideBySide ? Size{a.w + b.w, std::max(a.h, b.h), priority}
                                      : Size{std::max(a.w, b.w), a.h + b.h, priority};
}

void Tiling::place_node(int node, const Rect& r, const std::vector<PanelNeeds>& needs, std::vector<Placed>* out,
                        std::vector<Rect>* rects) const {
  if (rects) (*rects)[size_t(node)] = r;
  const Node& n = nodes_[size_t(node)];
  if (n.split == Split::Leaf) {
    if (out) out->push_back(Placed{n.id, r});
    return;
  }
  const Size a = min_size(n.a, needs), b = min_size(n.b, needs);
  if (n.split == Split::SideBySide) {
    const int wa = split_at(r.w, n.ratio, a.w, b.w, a.priority, b.priority);
    place_node(n.a, Rect{r.x, r.y, wa, r.h}, needs, out, rects);
    place_node(n.b, Rect{r.x + wa, r.y, r.w - wa, r.h}, needs, out, rects);
  } else {
    const int ha = split_at(r.h, n.ratio, a.h, b.h, a.priority, b.priority);
    place_node(n.a, Rect{r.x, r.y, r.w, ha}, needs, out, rects);
    place_node(n.b, Rect{r.x, r.y + ha, r.w, r.h - ha}, needs, out, rects);
  }
}

std::vector<Placed> Tiling::place(const Rect& area, const std::vector<PanelNeeds>& needs) const {
  std::vector<Placed> out;
  if (root_ >= 0) place_node(root_, area, needs, &out, nullptr);
  return out;
}

std::vector<Rect> Tiling::node_rects(const Rect& area, const std::vector<PanelNeeds>& needs) const {
  std::vector<Rect> rects(nodes_.size());
  if (root_ >= 0) place_node(root_, area, needs, nullptr, &rects);
  return rects;
}

void Tiling::insert(int id, const Rect& area, const std::vector<PanelNeeds>& needs) {
  if (contains(id)) return;
  if (root_ < 0) {
    nodes_.clear();
    root_ = leaf(id);
    return;
  }
  // The largest tile that holds both panels at their minimum sizes, split across
  // its longer side if both fit that way; if none does, the largest tile.
  std::vector<Placed> placed = place(area, needs);
  std::stable_sort(placed.begin(), placed.end(), [](const Placed& a, const Placed& b) {
    return int64_t(a.rect.w) * a.rect.h > int64_t(b.rect.w) * b.rect.h;
  });
  const PanelNeeds* added_needs = find_needs(needs, id);
  const Size add = added_needs ? Size{added_needs->min_w, added_needs->min_h, 1} : Size{};
  const Placed* target = &placed[0];
  Split split = target->rect.w >= target->rect.h ? Split::SideBySide : Split::Stacked;
  for (const Placed& p : placed) {
    const PanelNeeds* pn = find_needs(needs, p.id);
    const Size have = pn ? Size{pn->min_w, pn->min_h, 1} : Size{};
    const bool side = p.rect.w >= have.w + add.w && p.rect.h >= std::max(have.h, add.h);
    const bool stacked = p.rect.h >= have.h + add.h && p.rect.w >= std::max(have.w, add.w);
    if (!side && !stacked) continue;
    target = &p;
    split = side && (p.rect.w >= p.rect.h || !stacked) ? Split::SideBySide : Split::Stacked;
    break;
  }
  const int node = find_leaf(target->id);
  const int kept = leaf(target->id), added = leaf(id);
  nodes_[size_t(node)] = Node{split, -1, kept, added, 0.5f};
}

void Tiling::remove(int id) {
  const int node = find_leaf(id);
  if (node < 0) return;
  if (node == root_) {
    nodes_.clear();
    root_ = -1;
    return;
  }
  const int parent = parent_of(node);
  const int sibling = nodes_[size_t(parent)].a == node ? nodes_[size_t(parent)].b : nodes_[size_t(parent)].a;
  nodes_[size_t(parent)] = nodes_[size_t(sibling)];
  // Keep only the nodes still reachable (open/close cycles must not grow the tree).
  Tiling compact;
  auto copy = [&](auto&& self, int i) -> int {
    const Node n = nodes_[size_t(i)];
    if (n.split == Split::Leaf) return compact.leaf(n.id);
    const int a = self(self, n.a), b = self(self, n.b);
    return compact.join(n.split, a, b, n.ratio);
  };
  compact.root_ = copy(copy, root_);
  *this = std::move(compact);
}

void Tiling::resize(int id, const Rect& wanted, const Rect& area, const std::vector<PanelNeeds>& needs) {
  const int node = find_leaf(id);
  if (node < 0) return;
  // The nearest split on each side of the tile, with the line it should move to.
  struct Move {
    int split;
    int line;
  };
  std::vector<Move> moves;
  bool left = false, right = false, top = false, bottom = false;
  for (int child = node, p = parent_of(node); p >= 0; child = p, p = parent_of(p)) {
    const Node& n = nodes_[size_t(p)];
    const bool first = n.a == child;
    if (n.split == Split::SideBySide) {
      if (first && !right) moves.push_back({p, wanted.right()}), right = true;
      if (!first && !left) moves.push_back({p, wanted.x}), left = true;
    } else {
      if (first && !bottom) moves.push_back({p, wanted.bottom()}), bottom = true;
      if (!first && !top) moves.push_back({p, wanted.y}), top = true;
    }
  }
  // Outer splits first: moving one moves the rectangles of the splits inside it.
  for (auto it = moves.rbegin(); it != moves.rend(); ++it) {
    const Rect r = node_rects(area, needs)[size_t(it->split)];
    Node& n = nodes_[size_t(it->split)];
    const bool across = n.split == Split::SideBySide;
    const int size = across ? r.w : r.h, from = across ? r.x : r.y;
    if (size > 0) n.ratio = std::clamp(float(it->line - from) / float(size), 0.02f, 0.98f);
  }
}

void Tiling::swap(int a, int b) {
  const int na = find_leaf(a), nb = find_leaf(b);
  if (na < 0 || nb < 0) return;
  std::swap(nodes_[size_t(na)].id, nodes_[size_t(nb)].id);
}

double placement_cost(const std::vector<Placed>& placed, const std::vector<PanelNeeds>& needs) {
  double area = 0, weight = 0;
  for (const Placed& p : placed) {
    area += double(p.rect.w) * double(p.rect.h);
    const PanelNeeds* n = find_needs(needs, p.id);
    weight += n ? n->weight : 1.0;
  }
  double cost = 0;
  for (const Placed& p : placed) {
    const PanelNeeds* n = find_needs(needs, p.id);
    const double w = std::max(p.rect.w, 1), h = std::max(p.rect.h, 1);
    if (n && n->min_w > w) cost += 1000.0 * n->priority * (n->min_w - w) / n->min_w;
    if (n && n->min_h > h) cost += 1000.0 * n->priority * (n->min_h - h) / n->min_h;
    const double share = w * h / std::max(area, 1.0), wanted = (n ? n->weight : 1.0) / std::max(weight, 1e-9);
    cost += std::abs(std::log(share / std::max(wanted, 1e-9)));
    cost += 0.5 * std::abs(std::log(w / h / 1.6));
  }
  return cost;
}

}  // namespace trapeze::layout
