#include "session/session.h"

#include <algorithm>
#include <chrono>

#include "session/file_table.h"

namespace trapeze::session {

namespace {

// Where pasted scenarios are taken to live: beside the presets, so their
// "../guests/..." files resolve the same way.
constexpr const char* kPastedScenarioPath = "scenarios/untitled.json";

using scenario::directory_of;

// `path` (from the root) as seen from directory `dir` (from the root).
std::string relative_to(const std::string& dir, const std::string& path) {
  std::string up;
  for (char c : normalize_path(dir))
    if (c == '/') up += "../";
  if (!normalize_path(dir).empty()) up += "../";
  return up + path;
}

std::string guest_label(size_t i, const SessionGuest& g) {
  return "guest " + std::to_string(i) + " (\"" + g.spec.name + "\")";
}

std::string first_errors(const std::vector<GuestDiagnostic>& errors, size_t max = 5) {
  std::string out;
  for (size_t k = 0; k < errors.size() && k < max; ++k) out += "\n  " + errors[k].format();
  if (errors.size() > max) out += "\n  ... " + std::to_string(errors.size() - max) + " more";
  return out;
}

}  // namespace

Session::Session(scenario::FileReader files, Clock clock)
    : files_(std::move(files)), clock_(std::move(clock)) {
  if (!clock_) {
    clock_ = [] {
      using namespace std::chrono;
      return duration<double>(steady_clock::now().time_since_epoch()).count();
    };
  }
  epoch_ = clock_();
}

Session::~Session() = default;

double Session::now() const { return clock_() - epoch_; }

// ---------------------------------------------------------------------------------
// The document

bool Session::load(std::string_view json, const std::string& path, std::string* error) {
  std::string ignored;
  std::string& err = error ? *error : ignored;
  auto doc = scenario::parse(json, &err);
  if (!doc) return false;
  const std::string where = path.empty() ? kPastedScenarioPath : normalize_path(path);
  const scenario::LoadOptions options{where, files_, kInlineSourceHome};

  // Every guest loads, whether its source assembles or not: one that does not
  // keeps its text and errors and gets a placeholder in the VMM.
  std::vector<SessionGuest> guests;
  std::vector<vmm::GuestConfig> configs;
  size_t broken = 0;
  for (size_t i = 0; i < doc->guests.size(); ++i) {
    const scenario::GuestSpec& spec = doc->guests[i];
    SessionGuest g;
    g.spec = spec;
    GuestDiagnostic unreadable;
    if (auto source = scenario::read_source(*doc, i, options, &unreadable)) {
      g.source = std::move(source->text);
      g.origin = std::move(source->origin);
      GuestBuild b = scenario::build_guest(*doc, i, spec, {g.source, g.origin}, options);
      if (b.config) {
        g.image = std::move(b);
        g.image_source = g.source;
      } else {
        g.image.file_name = b.file_name;
        g.errors = std::move(b.errors);
      }
    } else {
      g.origin = scenario::origin_of(*doc, i, options);
      g.image.file_name = g.origin;
      g.errors.push_back(std::move(unreadable));
    }
    if (!g.has_image()) ++broken;
    configs.push_back(g.has_image() ? *g.image.config : scenario::guest_config(*doc, spec));
    guests.push_back(std::move(g));
  }
  auto vmm = vmm::Vmm::create(scenario::vmm_config(*doc, std::move(configs)), &err);
  if (!vmm) return false;
  for (SessionGuest& g : guests) g.source_revision = ++revisions_;
  path_ = where;
  doc_ = std::move(*doc);
  doc_.guests.clear();
  guests_ = std::move(guests);
  vmm_ = std::move(vmm);
  speed.cycles_per_frame = doc_.speed ? doc_.speed : Speed{}.cycles_per_frame;
  epoch_ = clock_();
  sample(true);
  rewind_.start(*this);
  changed();
  message_ = "loaded \"" + (doc_.name.empty() ? where : doc_.name) + "\" with " +
             std::to_string(guests_.size()) + " guest" + (guests_.size() == 1 ? "" : "s");
  if (broken)
    message_ += "; " + std::to_string(broken) + (broken == 1 ? " does" : " do") +
                " not assemble (see its errors in the editor)";
  return true;
}

scenario::GuestSpec Session::spec(size_t i) const {
  return scenario::GuestSpec(guests_[i].spec, strategy(i));
}

scenario::LoadOptions Session::build_options() const {
  return scenario::LoadOptions{path_, files_, kInlineSourceHome};
}

scenario::Scenario Session::document() const {
  scenario::Scenario s = doc_;
  for (size_t i = 0; i < guests_.size(); ++i) {
    const SessionGuest& g = guests_[i];
    scenario::GuestSpec spec = this->spec(i);
    if (g.origin.empty() || g.source_edited) {
      spec.file.clear();
      spec.source = g.source;
    }
    s.guests.push_back(std::move(spec));
  }
  return s;
}

std::string Session::to_json() const { return scenario::to_json(document()); }

// ---------------------------------------------------------------------------------
// Running

void Session::set_running(size_t i, bool on) {
  if (i >= guests_.size()) return;
  if (on && !guests_[i].has_image()) {
    message_ = guest_label(i, guests_[i]) + " cannot run: its source does not assemble";
    return;
  }
  if (on && finished(i)) restart(i);
  guests_[i].running = on;
}

void Session::set_all_running(bool on) {
  if (on && vmm_) {
    bool any_left = false, any_image = false;
    for (size_t i = 0; i < guests_.size(); ++i) {
      any_left = any_left || can_run(i);
      any_image = any_image || guests_[i].has_image();
    }
    if (!any_left && any_image) restart_all();
  }
  for (SessionGuest& g : guests_) g.running = on && g.has_image();
}

bool Session::any_running() const {
  if (!vmm_) return false;
  for (size_t i = 0; i < guests_.size(); ++i)
    if (guests_[i].running && can_run(i)) return true;
  return false;
}

bool Session::can_run(size_t i) const {
  return vmm_ && i < guests_.size() && guests_[i].has_image() && vmm_->guest(i).ready();
}

bool Session::finished(size_t i) const {
  return vmm_ && i < guests_.size() && guests_[i].has_image() && !vmm_->guest(i).ready();
}

vmm::GuestConfig Session::config_of(const SessionGuest& g, vmm::StrategyKind strategy) const {
  vmm::GuestConfig c =
      g.has_image() ? *g.image.config : scenario::guest_config(doc_, scenario::GuestSpec(g.spec, strategy));
  c.name = g.spec.name;
  c.strategy = strategy;
  return c;
}

std::vector<vmm::StrategyKind> Session::strategies() const {
  std::vector<vmm::StrategyKind> out;
  for (size_t i = 0; i < guests_.size(); ++i) out.push_back(strategy(i));
  return out;
}

bool Session::restart(size_t i) {
  if (!vmm_ || i >= guests_.size()) return false;
  SessionGuest& g = guests_[i];
  if (!g.has_image()) {
    message_ = guest_label(i, g) + " cannot restart: its source does not assemble";
    return false;
  }
  std::string why;
  if (!vmm_->reload_guest(i, config_of(g, strategy(i)), &why)) {
    message_ = guest_label(i, g) + ": " + why;
    return false;
  }
  g.history.clear();
  sample(true);
  rewind_.start(*this);
  message_ = guest_label(i, g) + " restarted; the other guests kept running";
  return true;
}

bool Session::restart_all() {
  if (!vmm_) return false;
  std::string why;
  if (!rebuild(guests_, strategies(), &why)) {
    message_ = "could not restart: " + why;
    return false;
  }
  epoch_ = clock_();
  message_ = "every guest restarted";
  return true;
}

bool Session::step(size_t i) {
  if (!can_run(i)) return false;
  guests_[i].running = false;
  vmm_->set_paused(i, false);  // Vmm::step runs no paused guest (one stopped at a breakpoint is)
  const bool ok = vmm_->step(i);
  log_step(i);
  sample(true);
  return ok;
}

FrameWork Session::run_frame() {
  FrameWork w;
  if (!vmm_ || !any_running()) {
    sample(false);
    advance_references(now() + speed.budget_ms / 4000.0);
    return w;
  }
  const double start = now();
  const double deadline = start + speed.budget_ms / 1000.0;
  std::vector<bool> runnable(guests_.size());
  for (size_t i = 0; i < guests_.size(); ++i) runnable[i] = guests_[i].running && guests_[i].has_image();
  stop_at_breakpoints(runnable, deadline);
  // Slices no longer than a quantum, so the wall budget is checked often enough
  // and every running guest gets turns within the frame.
  const uint64_t slice = std::max<uint64_t>(1, std::min<uint64_t>(doc_.quantum, 100'000));
  for (size_t i = 0; i < guests_.size(); ++i) vmm_->set_paused(i, !runnable[i]);
  if (std::find(runnable.begin(), runnable.end(), true) != runnable.end()) {
    while (w.cycles < speed.cycles_per_frame) {
      const double t0 = now();
      const uint64_t used = vmm_->run(std::min(slice, speed.cycles_per_frame - w.cycles));
      log_run(std::min(slice, speed.cycles_per_frame - w.cycles), t0);
      if (used == 0 && vmm_->finished()) break;
      w.cycles += used;
      if (now() >= deadline) {
        w.budget_hit = w.cycles < speed.cycles_per_frame;
        break;
      }
      if (used == 0) break;  // only native guests, or nothing ready among those chosen
    }
  }
  w.ms = (now() - start) * 1000.0;
  sample(false);
  advance_references(std::max(deadline, now() + speed.budget_ms / 4000.0));
  return w;
}

void Session::advance_references(double deadline) {
  references_.sync(*this);
  references_.advance(*this, deadline);
}

std::set<uint32_t> Session::breakpoint_addresses(size_t i) const {
  std::set<uint32_t> stops;
  if (i >= guests_.size()) return stops;
  const SessionGuest& g = guests_[i];
  for (const int line : g.breakpoints)
    for (const uint32_t a : g.image.program.entry_addresses(line)) stops.insert(a);
  for (const assembler::ListingLine& l : g.image.program.listing)
    if (!l.bytes.empty() && l.file == g.image.file_name && l.line != l.main_line && g.breakpoints.count(l.line))
      stops.insert(l.address);
  return stops;
}

// Guests with breakpoints run one instruction at a time (checking the pc against
// the breakpoints' addresses) for up to a quarter of the frame's budget; a guest
// that reaches one is paused. They are then left out of the ordinary run.
void Session::stop_at_breakpoints(std::vector<bool>& runnable, double deadline) {
  for (size_t i = 0; i < guests_.size(); ++i) {
    SessionGuest& g = guests_[i];
    if (!runnable[i] || g.breakpoints.empty()) continue;
    runnable[i] = false;
    const std::set<uint32_t> stops = breakpoint_addresses(i);
    if (stops.empty()) {
      runnable[i] = true;
      continue;
    }
    const double until = now() + (deadline - now()) / 4;
    vmm_->set_paused(i, false);  // a guest stopped here last frame was left paused
    for (int n = 0; n < 100'000 && vmm_->guest(i).ready(); ++n) {
      const bool stepped = vmm_->step(i);
      log_step(i);
      if (!stepped) break;
      if (stops.count(vmm_->guest(i).vcpu.cpu.pc)) {
        g.running = false;
        const auto* line = g.image.program.line_at(vmm_->guest(i).vcpu.cpu.pc);
        message_ = guest_label(i, g) + " stopped at the breakpoint on line " +
                   std::to_string(line ? line->main_line : 0);
        break;
      }
      if ((n & 63) == 63 && now() >= until) break;
    }
  }
}

uint64_t Session::run_cycles(uint64_t cycles, double max_ms) {
  if (!vmm_) return 0;
  // Every guest with an image runs.
  for (size_t i = 0; i < guests_.size(); ++i) vmm_->set_paused(i, !guests_[i].has_image());
  const double deadline = now() + max_ms / 1000.0;
  const uint64_t slice = std::max<uint64_t>(1, std::min<uint64_t>(doc_.quantum, 100'000));
  uint64_t done = 0;
  while (done < cycles && !vmm_->finished() && now() < deadline) {
    const double t0 = now();
    const uint64_t used = vmm_->run(std::min(slice, cycles - done));
    log_run(std::min(slice, cycles - done), t0);
    if (used == 0) {  // only native guests are left: they run on their own machines
      done += std::min(slice, cycles - done);
      continue;
    }
    done += used;
  }
  sample(true);
  return done;
}

void Session::log_run(uint64_t budget, double started) {
  RunOp op{RunOp::Kind::Run, 0, 0, budget, {}};
  for (size_t i = 0; i < vmm_->guest_count() && i < 32; ++i)
    if (vmm_->guest(i).paused) op.paused |= 1u << i;
  rewind_.record(*this, op, now() - started);
}

void Session::log_step(size_t i) { rewind_.record(*this, {RunOp::Kind::Step, uint16_t(i), 0, 1, {}}); }

void Session::sample(bool force) {
  if (!vmm_) return;
  const double t = now();
  for (size_t i = 0; i < guests_.size(); ++i)
    guests_[i].history.offer(sample_of(vmm_->guest(i).counters, t), force);
}

// ---------------------------------------------------------------------------------
// Editing

void Session::set_source(size_t i, std::string text) {
  if (i >= guests_.size() || guests_[i].source == text) return;
  SessionGuest& g = guests_[i];
  g.source = std::move(text);
  g.source_edited = true;
  g.source_revision = ++revisions_;
  changed();
}

void Session::set_breakpoints(size_t i, std::set<int> lines) {
  if (i < guests_.size()) guests_[i].breakpoints = std::move(lines);
}

bool Session::assemble(size_t i) {
  if (!vmm_ || i >= guests_.size()) return false;
  SessionGuest& g = guests_[i];
  GuestBuild b = scenario::build_guest(doc_, i, spec(i), {g.source, g.origin}, build_options());
  if (!b.config) {
    g.errors = std::move(b.errors);
    message_ = guest_label(i, g) + ": " + std::to_string(g.errors.size()) + " error" +
               (g.errors.size() == 1 ? "" : "s") +
               (g.has_image() ? "; the previous image keeps running" : "; it cannot run until it assembles");
    return false;
  }
  g.errors.clear();
  std::string why;
  if (!vmm_->reload_guest(i, *b.config, &why)) {
    g.errors.push_back({g.image.file_name, 0, 0, why, true});
    message_ = guest_label(i, g) + ": " + why;
    return false;
  }
  g.image = std::move(b);
  g.image_source = g.source;
  g.history.clear();
  sample(true);
  rewind_.start(*this);
  message_ = guest_label(i, g) + " re-assembled and restarted; the other guests kept running";
  return true;
}

bool Session::set_strategy(size_t i, vmm::StrategyKind kind, std::string* error) {
  std::string ignored;
  std::string& err = error ? *error : ignored;
  if (!vmm_ || i >= guests_.size()) {
    err = "no guest " + std::to_string(i);
    return false;
  }
  SessionGuest& g = guests_[i];
  if (strategy(i) == kind) return true;
  if (!vmm_->set_strategy(i, kind, &err)) return false;
  rewind_.record(*this, {RunOp::Kind::Strategy, uint16_t(i), 0, 0, kind});
  changed();
  message_ = guest_label(i, g) + " switched live to " + std::string(vmm::strategy_name(kind)) +
             " (its state carried over; its image stays as assembled until Ctrl+Enter)";
  return true;
}

bool Session::set_memory(size_t i, uint32_t bytes, std::string* error) {
  if (!vmm_ || i >= guests_.size()) return false;
  if (guests_[i].spec.memory_bytes == bytes) return true;
  std::vector<SessionGuest> next = guests_;
  next[i].spec.memory_bytes = bytes;
  if (next[i].has_image()) {  // (without one, the placeholder just moves)
    const scenario::GuestSpec spec(next[i].spec, strategy(i));
    GuestBuild b = scenario::build_guest(doc_, i, spec, {next[i].image_source, next[i].origin},
                                         build_options());
    if (!b.config) {
      if (error) *error = first_errors(b.errors).substr(3);
      return false;
    }
    next[i].image = std::move(b);
  }
  if (!rebuild(std::move(next), strategies(), error)) return false;
  changed();
  message_ = guest_label(i, guests_[i]) + " has " + std::to_string(bytes >> 10) +
             "K of memory; every guest restarted";
  return true;
}

std::string Session::unique_name(std::string base) const {
  auto taken = [&](const std::string& n) {
    return std::any_of(guests_.begin(), guests_.end(),
                       [&](const SessionGuest& g) { return g.spec.name == n; });
  };
  if (base.empty()) base = "guest";
  if (!taken(base)) return base;
  for (int k = 2;; ++k)
    if (!taken(base + " " + std::to_string(k))) return base + " " + std::to_string(k);
}

bool Session::add_guest(SessionGuest g, vmm::StrategyKind strategy, std::string* error) {
  if (guests_.size() >= size_t(vmm::kMaxGuests)) {
    if (error) *error = "at most " + std::to_string(vmm::kMaxGuests) + " guests";
    return false;
  }
  g.spec.name = unique_name(g.spec.name);
  const scenario::GuestSpec spec(g.spec, strategy);
  g.image = scenario::build_guest(doc_, guests_.size(), spec, {g.source, g.origin}, build_options());
  if (!g.image.config) {
    if (error) *error = "it does not assemble:" + first_errors(g.image.errors);
    return false;
  }
  g.image_source = g.source;
  g.source_revision = ++revisions_;
  g.errors.clear();
  g.history.clear();
  std::vector<SessionGuest> next = guests_;
  next.push_back(std::move(g));
  std::vector<vmm::StrategyKind> kinds = strategies();
  kinds.push_back(strategy);
  if (!rebuild(std::move(next), kinds, error)) return false;
  changed();
  message_ = "added guest \"" + guests_.back().spec.name + "\"; every guest restarted";
  return true;
}

bool Session::add_guest_file(const std::string& path, std::string* error) {
  const std::string origin = normalize_path(path);
  text::FileText text = files_ ? files_(origin) : text::FileText();
  if (!text) {
    if (error) *error = "cannot read \"" + origin + "\"" + (text.missing() ? "" : ": " + text.error());
    return false;
  }
  SessionGuest g;
  const size_t slash = origin.find_last_of('/'), dot = origin.find_last_of('.');
  g.spec.name = origin.substr(slash == std::string::npos ? 0 : slash + 1);
  if (dot != std::string::npos && dot > slash + 1) g.spec.name = origin.substr(slash + 1, dot - slash - 1);
  g.spec.file = relative_to(directory_of(path_), origin);
  g.origin = origin;
  g.source = std::move(*text);
  return add_guest(std::move(g), scenario::GuestSpec{}.strategy, error);
}

bool Session::remove_guest(size_t i, std::string* error) {
  if (i >= guests_.size()) return false;
  if (guests_.size() == 1) {
    if (error) *error = "a scenario needs at least one guest";
    return false;
  }
  const std::string name = guests_[i].spec.name;
  std::vector<SessionGuest> next = guests_;
  next.erase(next.begin() + std::ptrdiff_t(i));
  std::vector<vmm::StrategyKind> kinds = strategies();
  kinds.erase(kinds.begin() + std::ptrdiff_t(i));
  if (!rebuild(std::move(next), kinds, error)) return false;
  changed();
  message_ = "removed guest \"" + name + "\"; every guest restarted";
  return true;
}

bool Session::duplicate_guest(size_t i, std::string* error) {
  if (i >= guests_.size()) return false;
  SessionGuest g = guests_[i];
  g.spec.name += " copy";
  g.running = false;
  return add_guest(std::move(g), strategy(i), error);
}

bool Session::rebuild(std::vector<SessionGuest> guests,
                      const std::vector<vmm::StrategyKind>& strategies, std::string* error) {
  std::vector<vmm::GuestConfig> configs;
  for (size_t k = 0; k < guests.size(); ++k) configs.push_back(config_of(guests[k], strategies[k]));
  auto vmm = vmm::Vmm::create(scenario::vmm_config(doc_, std::move(configs)), error);
  if (!vmm) return false;
  guests_ = std::move(guests);
  for (SessionGuest& g : guests_) g.history.clear();
  vmm_ = std::move(vmm);
  sample(true);
  rewind_.start(*this);
  return true;
}

}  // namespace trapeze::session
