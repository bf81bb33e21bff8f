#include "session/reference_run.h"

#include <algorithm>

#include "scenario/guest_builder.h"
#include "session/session.h"

namespace trapeze::session {

namespace {

// Host cycles a reference runs between looks at the clock.
constexpr uint64_t kSlice = 20'000;
// While its guest runs, a reference runs until it has printed more than the guest
// (it must print the byte that decides the comparison), but not far past the
// guest's instructions (a guest that prints nothing costs nothing twice); once
// the guest has finished, to its own end (to see what the guest left out), which
// its instruction limit bounds.
constexpr uint64_t kLeadInstructions = 1'000'000;

// The line of `text` that starts at `start` (without its '\n'); "" past the end.
std::string line_from(const std::string& text, size_t start) {
  if (start >= text.size()) return {};
  const size_t end = text.find('\n', start);
  return text.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

// The spec a guest's reference is built from: bare metal, PV undefined.
scenario::GuestSpec reference_spec(const scenario::GuestSetup& setup) {
  scenario::GuestSpec r(setup, vmm::StrategyKind::NATIVE);
  r.defines.erase("PV");
  r.source.clear();  // the session's text is what is built
  return r;
}

std::unique_ptr<ReferenceRun> build_reference(const Session& s, size_t i) {
  const SessionGuest& g = s.guest(i);
  auto run = std::make_unique<ReferenceRun>();
  run->source = g.image_source;
  run->origin = g.origin;
  run->spec = reference_spec(g.spec);
  run->settings = scenario::to_json(s.settings());
  if (!g.has_image()) {  // loaded with a source that does not assemble: nothing to compare
    run->error = "its source does not assemble";
    return run;
  }
  scenario::GuestBuild b =
      scenario::build_guest(s.settings(), i, run->spec, {run->source, run->origin}, s.build_options());
  if (!b.config) {
    run->error = b.errors.empty() ? "it does not build for bare metal" : b.errors.front().format();
    return run;
  }
  // The guest's image differs from its native build: it was built with PV.
  const auto& mine = g.image.config ? g.image.config->image : b.config->image;
  run->without_pv = mine.size() != b.config->image.size() ||
                    !std::equal(mine.begin(), mine.end(), b.config->image.begin(),
                                [](const assembler::Segment& a, const assembler::Segment& c) {
                                  return a.base == c.base && a.bytes == c.bytes;
                                });
  run->machine = vmm::Vmm::create(scenario::vmm_config(s.settings(), {*b.config}), &run->error);
  return run;
}

bool same_inputs(const ReferenceRun& r, const Session& s, size_t i) {
  const SessionGuest& g = s.guest(i);
  return r.source == g.image_source && r.origin == g.origin && r.spec == reference_spec(g.spec) &&
         r.settings == scenario::to_json(s.settings());
}

}  // namespace

const char* console_diff_status_name(ConsoleDiff::Status s) {
  switch (s) {
    case ConsoleDiff::Status::None: return "none";
    case ConsoleDiff::Status::SameSoFar: return "same-so-far";
    case ConsoleDiff::Status::Same: return "same";
    case ConsoleDiff::Status::Differs: return "differs";
  }
  return "none";
}

ConsoleDiff compare_console(const std::string& guest, bool guest_finished, const std::string& reference,
                            bool reference_finished) {
  ConsoleDiff d;
  const size_t common = std::min(guest.size(), reference.size());
  const auto parted = std::mismatch(guest.begin(), guest.begin() + std::ptrdiff_t(common), reference.begin());
  const size_t at = size_t(parted.first - guest.begin());
  const bool differs = at < common ||
                       (guest.size() > reference.size() && reference_finished) ||
                       (reference.size() > guest.size() && guest_finished);
  if (!differs) {
    d.status = guest_finished && reference_finished ? ConsoleDiff::Status::Same : ConsoleDiff::Status::SameSoFar;
    return d;
  }
  d.status = ConsoleDiff::Status::Differs;
  d.byte = at;
  d.line = size_t(std::count(guest.begin(), guest.begin() + std::ptrdiff_t(at), '\n'));
  const size_t nl = at == 0 ? std::string::npos : guest.rfind('\n', at - 1);
  d.line_start = nl == std::string::npos ? 0 : nl + 1;
  // The reference's line from the same start (both agree up to `at`).
  d.reference_line = line_from(reference, d.line_start);
  return d;
}

bool ReferenceRun::finished() const { return !machine || machine->finished(); }

const std::string& ReferenceRun::console() const {
  static const std::string none;
  return machine ? machine->guest(0).console() : none;
}

void ReferenceRuns::sync(const Session& s) {
  if (!s.loaded()) {
    runs_.clear();
    return;
  }
  runs_.resize(s.guest_count());
  for (size_t i = 0; i < s.guest_count(); ++i) {
    if (s.vmm()->guest(i).strategy_kind() == vmm::StrategyKind::NATIVE) {
      runs_[i].reset();  // bare metal is its own reference
      continue;
    }
    if (!runs_[i] || !same_inputs(*runs_[i], s, i)) runs_[i] = build_reference(s, i);
  }
}

bool ReferenceRuns::lags(const Session& s, size_t i) const {
  const ReferenceRun* r = reference(i);
  if (!r || r->finished()) return false;
  const vmm::Guest& g = s.vmm()->guest(i);
  const vmm::Guest& ref = r->machine->guest(0);
  if (!g.ready()) return true;  // the guest has finished: see all that bare metal prints
  return ref.console().size() <= g.console().size() && ref.executed <= g.executed + kLeadInstructions;
}

void ReferenceRuns::advance(const Session& s, double deadline) {
  for (size_t i = 0; i < runs_.size() && s.now() < deadline; ++i)
    while (lags(s, i) && s.now() < deadline) runs_[i]->machine->run(kSlice);
}

void ReferenceRuns::run_to_completion(const Session& s, uint64_t max_cycles) {
  for (size_t i = 0; i < runs_.size(); ++i)
    for (uint64_t done = 0; done < max_cycles && lags(s, i); done += kSlice) runs_[i]->machine->run(kSlice);
}

const ReferenceRun* ReferenceRuns::reference(size_t guest) const {
  return guest < runs_.size() ? runs_[guest].get() : nullptr;
}

ConsoleDiff ReferenceRuns::diff(const Session& s, size_t guest) const {
  const ReferenceRun* r = reference(guest);
  if (!r || !r->machine || !s.loaded() || guest >= s.guest_count()) return {};
  const vmm::Guest& g = s.vmm()->guest(guest);
  return compare_console(g.console(), !g.ready(), r->console(), r->finished());
}

}  // namespace trapeze::session
