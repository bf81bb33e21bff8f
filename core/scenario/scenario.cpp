// Scenario parsing and checking. Two passes over the text: a SAX pass that finds
// syntax errors (with line and column), too-deep nesting and duplicate keys (which
// nlohmann would otherwise silently resolve to the last), then the DOM, read field
// by field with every type checked before use — no nlohmann call that can throw is
// made, so a hostile file cannot crash the loader (Emscripten builds abort on throw).
#include "scenario/scenario.h"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>

#include "asm/assembler.h"
#include "asm/defines.h"
#include "scenario/guest_builder.h"
#include "text/escape.h"

namespace trapeze::scenario {

namespace {

using json = nlohmann::json;

// ---------------------------------------------------------------------------------
// The SAX pass

class Checker final : public nlohmann::json_sax<json> {
 public:
  std::string error;

  bool null() override { return value(); }
  bool boolean(bool) override { return value(); }
  bool number_integer(number_integer_t) override { return value(); }
  bool number_unsigned(number_unsigned_t) override { return value(); }
  bool number_float(number_float_t, const string_t&) override { return value(); }
  bool string(string_t&) override { return value(); }
  bool binary(binary_t&) override { return value(); }
  bool start_object(std::size_t) override { return open(false); }
  bool end_object() override { return close(); }
  bool start_array(std::size_t) override { return open(true); }
  bool end_array() override { return close(); }
  bool key(string_t& k) override {
    Frame& f = frames_.back();
    f.key = k;
    if (!f.keys.insert(k).second) {
      error = path() + ": duplicate key";
      return false;
    }
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) override {
    std::string what = e.what();
    const size_t p =
        what.find("] ");  // "[json.exception.parse_error.101] parse error at line 1, ..."
    if (p != std::string::npos) what = what.substr(p + 2);
    error = "not valid JSON: " + what;
    return false;
  }

 private:
  struct Frame {
    bool array = false;
    size_t index = 0;
    std::string key;
    std::set<std::string> keys;
  };
  bool value() {
    if (!frames_.empty() && frames_.back().array) ++frames_.back().index;
    return true;
  }
  bool open(bool array) {
    if (frames_.size() >= size_t(kMaxDepth)) {
      error = (frames_.empty() ? std::string("scenario") : path()) + ": nested deeper than " +
              std::to_string(kMaxDepth) + " levels";
      return false;
    }
    frames_.push_back(Frame{array, 0, {}, {}});
    return true;
  }
  bool close() {
    frames_.pop_back();
    return value();
  }
  std::string path() const {
    std::string p;
    for (const Frame& f : frames_) {
      if (f.array) {
        p += '[';
        p += std::to_string(f.index);
        p += ']';
      } else if (!f.key.empty()) {
        if (!p.empty()) p += '.';
        p += f.key;
      }
    }
    return p.empty() ? "scenario" : p;
  }
  std::vector<Frame> frames_;
};

// ---------------------------------------------------------------------------------
// Reading the DOM

std::string show(const json& v) {
  std::string s = text::json_text(v);
  if (s.size() > 40) s = s.substr(0, 37) + "...";
  return s;
}

std::string size_text(uint64_t bytes) {
  if (bytes && bytes % (1u << 20) == 0) return std::to_string(bytes >> 20) + "M";
  if (bytes && bytes % 1024 == 0) return std::to_string(bytes >> 10) + "K";
  return std::to_string(bytes);
}

class Reader {
 public:
  std::string error;

  bool fail(const std::string& path, const std::string& message) {
    if (error.empty()) error = path + ": " + message;
    return false;
  }

  // Every key of `obj` must be in `allowed`.
  bool only(const json& obj, const std::string& path, std::initializer_list<const char*> allowed) {
    for (auto it = obj.begin(); it != obj.end(); ++it) {
      const bool ok =
          std::any_of(allowed.begin(), allowed.end(), [&](const char* a) { return it.key() == a; });
      if (ok) continue;
      std::string list;
      for (const char* a : allowed) list += std::string(list.empty() ? "" : ", ") + a;
      return fail(field(path, it.key()), "unknown key (expected " + list + ")");
    }
    return true;
  }

  static std::string field(const std::string& path, const std::string& key) {
    return path.empty() ? key : path + "." + key;
  }

  std::optional<uint64_t> integer(const json& v, const std::string& path, uint64_t min,
                                  uint64_t max) {
    if (!v.is_number_integer() || v.is_number_float()) {
      fail(path, "expected an integer, got " + show(v));
      return std::nullopt;
    }
    if (!v.is_number_unsigned() || v.get<uint64_t>() < min || v.get<uint64_t>() > max) {
      fail(path, show(v) + " is out of range (" + std::to_string(min) + " to " +
                     std::to_string(max) + ")");
      return std::nullopt;
    }
    return v.get<uint64_t>();
  }

  std::optional<std::string> string(const json& v, const std::string& path, size_t max_bytes) {
    if (!v.is_string()) {
      fail(path, "expected a string, got " + show(v));
      return std::nullopt;
    }
    const std::string& s = v.get_ref<const std::string&>();
    if (s.size() > max_bytes) {
      fail(path, std::to_string(s.size()) + " bytes (at most " + std::to_string(max_bytes) + ")");
      return std::nullopt;
    }
    return s;
  }

  // A string a person reads in a terminal or the page: printable characters only
  // (no ESC, NUL or other control character; `multiline` allows '\n' and tab).
  std::optional<std::string> text(const json& v, const std::string& path, size_t max_bytes,
                                  bool multiline = false) {
    auto s = string(v, path, max_bytes);
    if (!s) return s;
    for (size_t i = 0; i < s->size();) {
      if (multiline && ((*s)[i] == '\n' || (*s)[i] == '\t')) {
        ++i;
        continue;
      }
      const size_t n = text::printable_char_length(std::string_view(*s).substr(i));
      if (n == 0) {
        char byte[8];
        std::snprintf(byte, sizeof byte, "0x%02x", unsigned(static_cast<unsigned char>((*s)[i])));
        fail(path, "has a control character or a byte that is not UTF-8 (byte " + std::to_string(i) +
                       " is " + byte + ")");
        return std::nullopt;
      }
      i += n;
    }
    return s;
  }

  // A size: bytes as an integer, or a string "256K", "1M", "4096".
  std::optional<uint64_t> size(const json& v, const std::string& path, uint64_t unit, uint64_t min,
                               uint64_t max) {
    std::optional<uint64_t> n;
    if (v.is_string()) {
      n = parse_size(v.get_ref<const std::string&>());
      if (!n) {
        fail(path, show(v) + " is not a size (bytes, or a number with K or M: \"256K\", \"1M\")");
        return std::nullopt;
      }
    } else if (v.is_number_unsigned()) {
      n = v.get<uint64_t>();
    } else {
      fail(path, "expected a size (bytes, or a string such as \"256K\"), got " + show(v));
      return std::nullopt;
    }
    if (*n % unit) {
      fail(path, size_text(*n) + " is not a multiple of " + std::to_string(unit));
      return std::nullopt;
    }
    if (*n < min || *n > max) {
      fail(path,
           size_text(*n) + " is out of range (" + size_text(min) + " to " + size_text(max) + ")");
      return std::nullopt;
    }
    return n;
  }
};

// The block device's queue and service time (machine::BlockDeviceConfig).
bool read_block(Reader& r, const json& b, const std::string& at, machine::BlockDeviceConfig& out) {
  if (!b.is_object()) return r.fail(at, "expected an object, got " + show(b));
  if (!r.only(b, at, {"queue_depth", "service", "mean_service", "seed"})) return false;
  if (auto v = b.find("queue_depth"); v != b.end()) {
    auto n = r.integer(*v, at + ".queue_depth", 1, machine::kMaxQueueDepth);
    if (!n) return false;
    out.queue_depth = uint32_t(*n);
  }
  if (auto v = b.find("service"); v != b.end()) {
    auto s = r.string(*v, at + ".service", 64);
    if (!s) return false;
    if (*s == "fixed") out.service.kind = machine::ServiceTime::Kind::Fixed;
    else if (*s == "exponential") out.service.kind = machine::ServiceTime::Kind::Exponential;
    else return r.fail(at + ".service", "unknown service time \"" + *s + "\" (expected fixed, exponential)");
  }
  if (auto v = b.find("mean_service"); v != b.end()) {
    if (out.service.kind != machine::ServiceTime::Kind::Exponential)
      return r.fail(at + ".mean_service", "applies only to \"service\": \"exponential\" (fixed follows the cost model)");
    auto n = r.integer(*v, at + ".mean_service", 1, uint64_t(1) << 40);
    if (!n) return false;
    out.service.mean_cycles = *n;
  }
  if (auto v = b.find("seed"); v != b.end()) {
    auto n = r.integer(*v, at + ".seed", 0, UINT64_MAX);
    if (!n) return false;
    out.service.seed = *n;
  }
  return true;
}

bool read_guest(Reader& r, const json& g, size_t i, GuestSpec& out) {
  const std::string at = "guests[" + std::to_string(i) + "]";
  if (!g.is_object()) return r.fail(at, "expected an object, got " + show(g));
  if (!r.only(g, at,
              {"name", "source", "file", "defines", "memory", "strategy", "disk", "tc_capacity", "block"}))
    return false;
  out.name = "guest" + std::to_string(i);
  if (auto v = g.find("name"); v != g.end()) {
    auto s = r.text(*v, at + ".name", 64);
    if (!s) return false;
    if (s->empty()) return r.fail(at + ".name", "is empty");
    out.name = *s;
  }
  const auto source = g.find("source"), file = g.find("file");
  if (source != g.end() && file != g.end())
    return r.fail(at, "has both \"source\" and \"file\" (use one)");
  if (source == g.end() && file == g.end())
    return r.fail(at, "needs \"source\" (inline assembly) or \"file\" (a path to a .s file)");
  if (source != g.end()) {
    auto s = r.string(*source, at + ".source", kMaxSourceBytes);
    if (!s) return false;
    out.source = *s;
  } else {
    auto s = r.string(*file, at + ".file", 4096);
    if (!s) return false;
    if (s->empty()) return r.fail(at + ".file", "is empty");
    out.file = *s;
  }
  if (auto v = g.find("defines"); v != g.end()) {
    if (!v->is_object())
      return r.fail(at + ".defines", "expected an object of NAME: integer, got " + show(*v));
    for (auto d = v->begin(); d != v->end(); ++d) {
      const std::string path = at + ".defines." + d.key();
      if (std::string problem = assembler::define_name_problem(d.key()); !problem.empty())
        return r.fail(path, problem);
      if (d->is_boolean()) {
        out.defines[d.key()] = d->get<bool>() ? 1 : 0;
      } else if (d->is_number_integer() && !d->is_number_float()) {
        // As -D: an integer from -2^63 to 2^63-1, never clamped.
        if (d->is_number_unsigned() && d->get<uint64_t>() > uint64_t(INT64_MAX))
          return r.fail(path, show(*d) + " is out of range (-9223372036854775808 to 9223372036854775807)");
        out.defines[d.key()] = d->is_number_unsigned() ? int64_t(d->get<uint64_t>()) : d->get<int64_t>();
      } else {
        return r.fail(path, "expected an integer, got " + show(*d));
      }
    }
  }
  if (auto v = g.find("memory"); v != g.end()) {
    auto n = r.size(*v, at + ".memory", isa::kPageSize, isa::kPageSize, vmm::kMaxGuestMemory);
    if (!n) return false;
    out.memory_bytes = uint32_t(*n);
  }
  if (auto v = g.find("strategy"); v != g.end()) {
    auto s = r.string(*v, at + ".strategy", 64);
    if (!s) return false;
    const auto k = vmm::parse_strategy(*s);
    if (!k)
      return r.fail(at + ".strategy",
                    "unknown strategy \"" + *s + "\" (expected " + vmm::strategy_names() + ")");
    out.strategy = *k;
  }
  if (auto v = g.find("disk"); v != g.end()) {
    auto n = r.size(*v, at + ".disk", isa::kSectorSize, isa::kSectorSize,
                    uint64_t(machine::kMaxDiskSectors) * isa::kSectorSize);
    if (!n) return false;
    out.disk_bytes = uint32_t(*n);
  }
  if (auto v = g.find("tc_capacity"); v != g.end()) {
    auto n = r.integer(*v, at + ".tc_capacity", vmm::kMinTcCapacity, vmm::kMaxTcCapacity);
    if (!n) return false;
    out.tc_capacity = uint32_t(*n);
  }
  if (auto v = g.find("block"); v != g.end() && !read_block(r, *v, at + ".block", out.block)) return false;
  return true;
}

bool read_scenario(Reader& r, const json& j, Scenario& s) {
  if (!j.is_object()) return r.fail("scenario", "expected a JSON object, got " + show(j));
  if (!r.only(j, "",
              {"version", "name", "description", "quantum", "tlb_entries", "tlb_ways", "cost",
               "limits", "event_capacity", "speed", "guests"}))
    return false;
  const auto version = j.find("version");
  if (version == j.end()) return r.fail("version", "missing (this reader understands version 1)");
  if (!version->is_number_unsigned() || version->get<uint64_t>() != uint64_t(kVersion))
    return r.fail("version",
                  show(*version) + " is not supported (this reader understands version 1)");
  if (auto v = j.find("name"); v != j.end()) {
    auto t = r.text(*v, "name", 200);
    if (!t) return false;
    s.name = *t;
  }
  if (auto v = j.find("description"); v != j.end()) {
    auto t = r.text(*v, "description", 64u << 10, /*multiline=*/true);
    if (!t) return false;
    s.description = *t;
  }
  if (auto v = j.find("quantum"); v != j.end()) {
    auto n = r.integer(*v, "quantum", 1, 1'000'000'000);
    if (!n) return false;
    s.quantum = *n;
  }
  if (auto v = j.find("tlb_entries"); v != j.end()) {
    auto n = r.integer(*v, "tlb_entries", 1, machine::kMaxTlbEntries);
    if (!n) return false;
    s.tlb_entries = uint32_t(*n);
  }
  if (auto v = j.find("tlb_ways"); v != j.end()) {
    auto n = r.integer(*v, "tlb_ways", 0, machine::kMaxTlbEntries);
    if (!n) return false;
    s.tlb_ways = uint32_t(*n);
  }
  if (!machine::Tlb::valid_config({s.tlb_entries, s.tlb_ways}))
    return r.fail("tlb_ways", std::to_string(s.tlb_ways) + " ways do not divide " +
                                  std::to_string(s.tlb_entries) +
                                  " entries into a power-of-two number of sets");
  if (auto v = j.find("cost"); v != j.end()) {
    if (!v->is_object())
      return r.fail("cost", "expected an object of ROW: cycles, got " + show(*v));
    for (auto c = v->begin(); c != v->end(); ++c) {
      const auto e = machine::parse_cost_event(c.key());
      if (!e) {
        std::string names;
        for (const auto& info : machine::kCostEvents)
          names += std::string(names.empty() ? "" : ", ") + std::string(info.name);
        return r.fail("cost." + c.key(), "unknown cost (expected one of " + names + ")");
      }
      auto n = r.integer(*c, "cost." + c.key(), 0, 10'000'000);
      if (!n) return false;
      s.cost[std::string(machine::cost_event_name(*e))] = uint32_t(*n);
    }
  }
  if (auto v = j.find("limits"); v != j.end()) {
    if (!v->is_object()) return r.fail("limits", "expected an object, got " + show(*v));
    if (!r.only(*v, "limits", {"max_instructions", "max_cycles"})) return false;
    if (auto m = v->find("max_instructions"); m != v->end()) {
      auto n = r.integer(*m, "limits.max_instructions", 1, uint64_t(1) << 50);
      if (!n) return false;
      s.max_instructions = *n;
    }
    if (auto m = v->find("max_cycles"); m != v->end()) {
      auto n = r.integer(*m, "limits.max_cycles", 1, uint64_t(1) << 60);
      if (!n) return false;
      s.max_cycles = *n;
    }
  }
  if (auto v = j.find("event_capacity"); v != j.end()) {
    auto n = r.integer(*v, "event_capacity", 1, 1u << 20);
    if (!n) return false;
    s.event_capacity = *n;
  }
  if (auto v = j.find("speed"); v != j.end()) {
    auto n = r.integer(*v, "speed", kMinSpeed, kMaxSpeed);
    if (!n) return false;
    s.speed = *n;
  }
  const auto guests = j.find("guests");
  if (guests == j.end()) return r.fail("guests", "missing (a list of guests)");
  if (!guests->is_array())
    return r.fail("guests", "expected a list of guests, got " + show(*guests));
  if (guests->empty()) return r.fail("guests", "is empty (at least one guest)");
  if (guests->size() > size_t(vmm::kMaxGuests))
    return r.fail("guests", std::to_string(guests->size()) + " guests (at most " +
                                std::to_string(vmm::kMaxGuests) + ")");
  uint64_t total = 0, disk = 0;
  for (size_t i = 0; i < guests->size(); ++i) {
    GuestSpec g;
    if (!read_guest(r, (*guests)[i], i, g)) return false;
    for (size_t k = 0; k < s.guests.size(); ++k)
      if (s.guests[k].name == g.name)
        return r.fail(
            "guests[" + std::to_string(i) + "].name",
            "\"" + g.name + "\" is already the name of guests[" + std::to_string(k) + "]");
    total += g.memory_bytes;  // bare-metal guests too: every guest has a home in host memory
    if (total > vmm::kMaxTotalGuestMemory)
      return r.fail("guests[" + std::to_string(i) + "].memory",
                    "the guests would have " + size_text(total) + " of memory in all (at most " +
                        size_text(vmm::kMaxTotalGuestMemory) + ", bare-metal guests included)");
    disk += g.disk_bytes;
    if (disk > vmm::kMaxTotalDiskBytes)
      return r.fail("guests[" + std::to_string(i) + "].disk",
                    "the guests would have " + size_text(disk) + " of disk in all (at most " +
                        size_text(vmm::kMaxTotalDiskBytes) + ")");
    s.guests.push_back(std::move(g));
  }
  return true;
}

}  // namespace

std::optional<uint64_t> parse_size(std::string_view t) {
  uint64_t scale = 1;
  if (!t.empty() && (t.back() == 'K' || t.back() == 'k'))
    scale = 1024, t.remove_suffix(1);
  else if (!t.empty() && (t.back() == 'M' || t.back() == 'm'))
    scale = 1u << 20, t.remove_suffix(1);
  int base = 10;
  if (t.size() > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X')) base = 16, t.remove_prefix(2);
  if (t.empty() || t.size() > 16) return std::nullopt;
  uint64_t v = 0;
  for (char c : t) {
    int d = -1;
    if (c >= '0' && c <= '9')
      d = c - '0';
    else if (c >= 'a' && c <= 'f')
      d = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F')
      d = c - 'A' + 10;
    if (d < 0 || d >= base) return std::nullopt;
    v = v * uint64_t(base) + uint64_t(d);
  }
  if (v > (uint64_t(1) << 40)) return std::nullopt;
  return v * scale;
}

std::string too_large_message(size_t bytes) {
  static_assert(kMaxScenarioBytes == 1u << 20, "the message says 1 MiB");
  return "the scenario is " + std::to_string(bytes) + " bytes, more than the " +
         std::to_string(kMaxScenarioBytes) + " bytes (1 MiB) a scenario may hold: "
         "make a guest's source shorter or remove a guest";
}

std::optional<Scenario> parse(std::string_view text, std::string* error) {
  std::string ignored;
  std::string& err = error ? *error : ignored;
  if (text.size() > kMaxScenarioBytes) {
    err = too_large_message(text.size());
    return std::nullopt;
  }
  Checker checker;
  if (!json::sax_parse(text, &checker) || !checker.error.empty()) {
    err = checker.error.empty() ? "not valid JSON" : text::escaped(checker.error);
    return std::nullopt;
  }
  const json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    err = "not valid JSON";
    return std::nullopt;
  }
  Reader r;
  Scenario s;
  if (!read_scenario(r, j, s)) {
    err = text::escaped(r.error);  // keys and values as the file wrote them
    return std::nullopt;
  }
  return s;
}

std::string to_json(const Scenario& s) {
  nlohmann::ordered_json j;
  j["version"] = s.version;
  if (!s.name.empty()) j["name"] = s.name;
  if (!s.description.empty()) j["description"] = s.description;
  j["quantum"] = s.quantum;
  j["tlb_entries"] = s.tlb_entries;
  if (s.tlb_ways) j["tlb_ways"] = s.tlb_ways;
  if (!s.cost.empty()) j["cost"] = s.cost;
  j["limits"]["max_instructions"] = s.max_instructions;
  if (s.max_cycles != vmm::kNoLimit) j["limits"]["max_cycles"] = s.max_cycles;
  j["event_capacity"] = s.event_capacity;
  if (s.speed) j["speed"] = s.speed;
  j["guests"] = nlohmann::ordered_json::array();
  for (const GuestSpec& g : s.guests) {
    nlohmann::ordered_json o;
    o["name"] = g.name;
    if (g.file.empty())
      o["source"] = g.source;
    else
      o["file"] = g.file;
    if (!g.defines.empty()) o["defines"] = g.defines;
    o["memory"] = g.memory_bytes;
    o["strategy"] = vmm::strategy_name(g.strategy);
    o["disk"] = g.disk_bytes;
    if (g.tc_capacity != vmm::kDefaultTcCapacity) o["tc_capacity"] = g.tc_capacity;
    if (g.block != machine::BlockDeviceConfig{}) {
      nlohmann::ordered_json b;
      b["queue_depth"] = g.block.queue_depth;
      const bool exponential = g.block.service.kind == machine::ServiceTime::Kind::Exponential;
      b["service"] = exponential ? "exponential" : "fixed";
      if (exponential && g.block.service.mean_cycles) b["mean_service"] = g.block.service.mean_cycles;
      b["seed"] = g.block.service.seed;
      o["block"] = std::move(b);
    }
    j["guests"].push_back(std::move(o));
  }
  return text::json_text(j, 2) + "\n";
}

std::optional<vmm::VmmConfig> build(const Scenario& s, const LoadOptions& options,
                                    std::string* error) {
  std::string ignored;
  std::string& err = error ? *error : ignored;
  err.clear();
  // One line per problem: a source's as the assembler writes it, naming the guest.
  auto report = [&err](const GuestSpec& g, const GuestDiagnostic& d) {
    if (!d.field.empty())
      err += d.field + ": " + d.message;
    else if (d.line > 0)
      err += "guest \"" + g.name + "\": " + assembler::Diagnostic{d.file, d.line, d.col, d.message}.format();
    else
      err += "guest \"" + g.name + "\": " + text::escaped(d.file) + ": error: " + text::escaped(d.message);
    err += '\n';
  };
  std::vector<vmm::GuestConfig> guests;
  for (size_t i = 0; i < s.guests.size(); ++i) {
    GuestDiagnostic unreadable;
    const auto source = read_source(s, i, options, &unreadable);
    if (!source) {
      report(s.guests[i], unreadable);
      continue;
    }
    GuestBuild b = build_guest(s, i, s.guests[i], *source, options);
    for (const GuestDiagnostic& d : b.errors) report(s.guests[i], d);
    if (b.config) guests.push_back(std::move(*b.config));
  }
  if (!err.empty()) {
    err.pop_back();  // the last newline
    return std::nullopt;
  }
  vmm::VmmConfig c = vmm_config(s, std::move(guests));
  if (std::string problem = vmm::validate(c); !problem.empty()) {  // the guests together
    err = problem;
    return std::nullopt;
  }
  return c;
}

std::unique_ptr<vmm::Vmm> load(std::string_view json_text, const LoadOptions& options,
                               std::string* error) {
  const auto s = parse(json_text, error);
  if (!s) return nullptr;
  const auto c = build(*s, options, error);
  if (!c) return nullptr;
  return vmm::Vmm::create(*c, error);
}

}  // namespace trapeze::scenario
