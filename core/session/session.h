// A Session: what the frontend and the JavaScript API drive. It holds the
// scenario document (guests with their editable sources, strategies, memory
// sizes), the Vmm built from it and the run controls around it. It knows nothing
// of ImGui, the browser or the platform.
//
//   Session s(table_reader(files));
//   s.load(json, "scenarios/x.json", &error);
//   s.set_all_running(true);
//   each frame: s.run_frame();                   // bounded by speed and a wall budget
//   s.set_source(0, text); s.assemble(0);        // reloads guest 0 only
//   s.set_strategy(1, StrategyKind::PV, &err);   // live, at the next safe point
//
// Nothing is lost on bad input: a source that does not assemble keeps its errors
// (per guest, file:line:col) and its text, and the old image keeps running; a
// scenario that does not load leaves the session as it was. A scenario loads even
// when some of its guests' sources do not assemble (half-typed code is an
// editor's normal state, and it is saved, shared and exported as typed): such a
// guest has no image, keeps its errors, and cannot run until it assembles.
//
//   s.restart(i); s.restart_all();   // back to the state after loading
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "scenario/scenario.h"
#include "scenario/guest_builder.h"
#include "session/history.h"
#include "session/reference_run.h"
#include "session/rewind.h"
#include "vmm/vmm.h"

namespace trapeze::session {

using scenario::GuestBuild;
using scenario::GuestDiagnostic;

// Where includes of inline sources are looked up: as if the source were a file
// one folder deep in guests/, so `.include "../lib/arch.inc"` works in a guest
// that was edited (and exported inline) just as in its original file.
inline constexpr const char* kInlineSourceHome = "guests/inline/";

struct SessionGuest {
  // Its entry in the document (memory, defines...). Its strategy is the live one,
  // kept by the VMM only: Session::strategy(i).
  scenario::GuestSetup spec;
  std::string origin;        // the file its source came from ("" if inline)
  std::string source;        // the text being edited
  bool source_edited = false;  // differs from `origin` (exported inline)
  uint64_t source_revision = 0;  // changes whenever `source` does (unique in the session)
  GuestBuild image;              // the assembly of the image running now
  std::string image_source;      // the source that image was built from
  // Of the last assembly attempt, if it failed (the image above still runs).
  std::vector<GuestDiagnostic> errors;
  bool running = false;
  std::set<int> breakpoints;  // lines of its source
  History history;
  bool dirty() const { return !has_image() || source != image_source; }
  // False while its source has never assembled (loaded broken): it cannot run.
  bool has_image() const { return image.config.has_value(); }
};

struct Speed {
  uint64_t cycles_per_frame = 2'000'000;  // host cycles per frame at most
  double budget_ms = 8;                   // wall time per frame at most (the UI keeps 60 fps)
};

struct FrameWork {
  uint64_t cycles = 0;  // host cycles run
  double ms = 0;        // wall time spent
  bool budget_hit = false;  // stopped by the wall budget before the cycles were done
};

class Session {
 public:
  using Clock = std::function<double()>;  // seconds, monotonic
  explicit Session(scenario::FileReader files, Clock clock = {});
  ~Session();
  Session(Session&&) = default;
  Session& operator=(Session&&) = default;

  // ---- the document ----------------------------------------------------------------
  // `path`: where the JSON came from, for its "file" guests ("" for pasted text: they
  // are then looked up as if it were in scenarios/). Fails without changing anything.
  bool load(std::string_view json, const std::string& path, std::string* error);
  scenario::Scenario document() const;  // edited sources inline
  std::string to_json() const;
  // The machine settings, name and description (its `guests` is empty: see guest()).
  const scenario::Scenario& settings() const { return doc_; }
  const scenario::FileReader& files() const { return files_; }
  const std::string& scenario_path() const { return path_; }
  // Increases with every change to the document (for autosave).
  uint64_t change_count() const { return changes_; }
  // One line about the last thing that happened ("guest 2 reloaded", ...).
  const std::string& message() const { return message_; }

  size_t guest_count() const { return guests_.size(); }
  const SessionGuest& guest(size_t i) const { return guests_[i]; }
  // Guest i's strategy: the one it runs under now (live switches included).
  vmm::StrategyKind strategy(size_t i) const { return vmm_->guest(i).strategy_kind(); }
  // Guest i's entry in the document, with that strategy.
  scenario::GuestSpec spec(size_t i) const;
  // How the session builds guests (scenario/guest_builder.h): its files, the
  // scenario's path, inline sources at home in kInlineSourceHome.
  scenario::LoadOptions build_options() const;
  const vmm::Vmm* vmm() const { return vmm_.get(); }
  bool loaded() const { return vmm_ != nullptr; }
  double now() const;  // the session's clock

  // ---- running -----------------------------------------------------------------------
  // Running a guest that has finished (halted, crashed, stopped at a limit)
  // restarts it first; running all when none is left to run restarts them all. A
  // guest without an image is never set running.
  void set_running(size_t i, bool on);
  void set_all_running(bool on);
  bool any_running() const;
  // Guest i can run: it has an image and has not finished.
  bool can_run(size_t i) const;
  bool finished(size_t i) const;  // has an image and halted, crashed or stopped
  // Back to the state after loading (the same machine state as a fresh load of the
  // document), from the image running now; running or paused as it was. restart()
  // is false for a guest without an image; the others keep running untouched.
  bool restart(size_t i);
  bool restart_all();
  // One instruction of guest i (it is paused first). False if it cannot run.
  bool step(size_t i);
  Speed speed;
  // Runs the guests that are running, for one frame's share.
  FrameWork run_frame();
  // Runs every ready guest (paused or not) for `cycles` host cycles, synchronously,
  // at most `max_ms` of wall time. Returns the host cycles run.
  uint64_t run_cycles(uint64_t cycles, double max_ms = 2000);
  // Each virtualized guest's bare-metal reference (reference_run.h); run_frame()
  // keeps them in step, on what is left of the frame budget (a quarter at least).
  const ReferenceRuns& references() const { return references_; }
  // Checkpoints and the log of what ran, for going back (rewind.h: step_back, run_back).
  Rewind& rewind() { return rewind_; }
  const Rewind& rewind() const { return rewind_; }

  // ---- snapshots (snapshot.cpp; the file: snapshot_format.h, docs/snapshot.md) ---------
  // A snapshot file: the document (scenario with every guest's source inline, strategies,
  // settings) + each guest's image + the whole running state. Compressed, versioned,
  // checksummed. Empty if nothing is loaded.
  std::vector<uint8_t> save_snapshot() const;
  // Replaces the whole session (document and state) with the snapshot's. On any error the
  // session is unchanged and *error says what is wrong ("truncated at byte N", "not a
  // Trapeze snapshot", "written by a newer Trapeze (format 3, this reads 1)", ...).
  bool restore_snapshot(std::span<const uint8_t> bytes, std::string* error);
  // The running state only (no document, no images), for in-memory checkpoints:
  // uncompressed, restored onto the same loaded document and images. The guests'
  // histories restart; the bare-metal references keep running where they are.
  std::vector<uint8_t> save_state(std::vector<uint8_t> buffer = {}) const;  // (buffer: memory to reuse)
  bool restore_state(std::span<const uint8_t> bytes, std::string* error);

  // ---- editing -----------------------------------------------------------------------
  void set_source(size_t i, std::string text);
  void set_breakpoints(size_t i, std::set<int> lines);
  // The addresses guest i's breakpoints stop at (a macro use or .include line at its
  // first instruction, a macro body's own lines too).
  std::set<uint32_t> breakpoint_addresses(size_t i) const;
  // Assembles guest i's source and reloads only it; on failure its errors are kept
  // and the old image keeps running.
  bool assemble(size_t i);
  bool set_strategy(size_t i, vmm::StrategyKind kind, std::string* error);
  // These rebuild the Vmm: every guest restarts (said in message()).
  bool set_memory(size_t i, uint32_t bytes, std::string* error);
  bool add_guest_file(const std::string& path, std::string* error);  // a bundled guests/ file
  bool remove_guest(size_t i, std::string* error);
  bool duplicate_guest(size_t i, std::string* error);

 private:
  friend class Rewind;  // re-executes its log on vmm_
  // Logs one Vmm::run or Vmm::step just done, for going back.
  void log_run(uint64_t budget, double started);  // `started`: now() before it
  void log_step(size_t i);
  // A new Vmm for `guests` under `strategies` (one each; every guest restarts).
  bool rebuild(std::vector<SessionGuest> guests, const std::vector<vmm::StrategyKind>& strategies,
               std::string* error);
  std::vector<vmm::StrategyKind> strategies() const;  // every guest's, in order
  // Its image (or a placeholder if it has none) under `strategy`.
  vmm::GuestConfig config_of(const SessionGuest& g, vmm::StrategyKind strategy) const;
  bool add_guest(SessionGuest g, vmm::StrategyKind strategy, std::string* error);
  void sample(bool force);
  void advance_references(double deadline);
  void stop_at_breakpoints(std::vector<bool>& runnable, double deadline);
  std::string unique_name(std::string base) const;
  void changed() { ++changes_; }

  scenario::FileReader files_;
  Clock clock_;
  double epoch_ = 0;
  std::string path_;
  scenario::Scenario doc_;  // machine settings; guests live in guests_
  std::vector<SessionGuest> guests_;
  std::unique_ptr<vmm::Vmm> vmm_;
  uint64_t changes_ = 0;
  uint64_t revisions_ = 0;  // source revisions, unique across guests
  std::string message_;
  ReferenceRuns references_;
  Rewind rewind_;
};

}  // namespace trapeze::session
