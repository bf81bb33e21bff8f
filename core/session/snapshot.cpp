// Session snapshots (session.h): the document, each guest's image and editor
// state, and the running state (vmm/vmm_state.h), in the file of snapshot_format.h.
#include <algorithm>
#include <cstring>

#include "machine/state_archive.h"
#include "session/session.h"
#include "session/snapshot_format.h"
#include "vmm/host.h"
#include "vmm/vmm_state.h"

namespace trapeze::session {
namespace {

using machine::StateArchive;

constexpr char kDocumentId[4] = {'D', 'O', 'C', 'U'};
constexpr char kImagesId[4] = {'I', 'M', 'A', 'G'};
constexpr char kStateId[4] = {'S', 'T', 'A', 'T'};
constexpr size_t kMaxText = 16u << 20;  // a path, a source, a name: far above any real one
constexpr size_t kMaxSegments = 1u << 16;

SnapshotSection section(const char (&id)[4], std::vector<uint8_t> bytes) {
  SnapshotSection s;
  std::memcpy(s.id, id, 4);
  s.bytes = std::move(bytes);
  return s;
}

void archive_config(StateArchive& a, vmm::GuestConfig& c) {
  a.string(c.name, kMaxText, "name bytes");
  a.u32(c.memory_bytes);
  a.u32(c.disk_sectors);
  a.u32(c.block.queue_depth);
  a.enumeration(c.block.service.kind, machine::ServiceTime::Kind::Exponential, "service-time kind");
  a.u64(c.block.service.mean_cycles);
  a.u64(c.block.service.seed);
  a.flag(c.block.record_latencies);
  a.sequence(c.image, kMaxSegments, 12, "image segments", [](StateArchive& x, isa::Segment& s) {
    x.u32(s.base);
    const size_t n = x.count(s.bytes.size(), vmm::kMaxGuestMemory, 1, "image bytes");
    if (x.loading()) s.bytes.assign(n, 0);
    x.fixed_bytes(s.bytes);
  });
  a.u32(c.entry);
  a.u64(c.max_instructions);
  a.u64(c.max_cycles);
  a.u32(c.tc_capacity);
  a.enumeration(c.strategy, vmm::StrategyKind::HW_NESTED, "strategy");
}

// A guest's part of the images section: what the editor and the loader need that
// the scenario document does not hold.
struct GuestExtras {
  std::string origin, source, image_source;
  bool source_edited = false;
  bool has_image = false;
  vmm::GuestConfig config;
  std::vector<uint32_t> breakpoints;
};

void archive_extras(StateArchive& a, GuestExtras& e) {
  a.tag("GIMG");
  a.string(e.origin, kMaxText, "path bytes");
  a.string(e.source, kMaxText, "source bytes");
  a.string(e.image_source, kMaxText, "source bytes");
  a.flag(e.source_edited);
  a.flag(e.has_image);
  archive_config(a, e.config);
  a.u32s(e.breakpoints, 1u << 20, "breakpoints");
}

// The running state of `v` (and the guests' run flags), loaded from `bytes`.
bool load_running_state(std::span<const uint8_t> bytes, vmm::Vmm& v, std::vector<bool>* running,
                        std::string* error) {
  StateArchive a = StateArchive::reader(bytes);
  a.tag("SESS");
  a.expect(v.guest_count(), "guests");
  running->assign(v.guest_count(), false);
  for (size_t i = 0; i < v.guest_count() && a.ok(); ++i) {
    bool r = false;
    a.flag(r);
    (*running)[i] = r;
  }
  if (a.ok()) vmm::archive_state(a, v);
  if (a.finish()) return true;
  if (error) *error = "bad running state: " + a.error();
  return false;
}

}  // namespace

std::vector<uint8_t> Session::save_state(std::vector<uint8_t> buffer) const {
  if (!vmm_) return {};
  StateArchive a = StateArchive::writer(std::move(buffer));
  a.tag("SESS");
  a.expect(guests_.size(), "guests");
  for (const SessionGuest& g : guests_) {
    bool r = g.running;
    a.flag(r);
  }
  // Saving only reads: the archive functions serve loading too, hence non-const.
  vmm::archive_state(a, *vmm_);
  return a.take();
}

bool Session::restore_state(std::span<const uint8_t> bytes, std::string* error) {
  if (!vmm_) {
    if (error) *error = "no scenario loaded";
    return false;
  }
  // Into a Vmm built afresh from the document: on failure nothing here has changed.
  std::vector<vmm::GuestConfig> configs;
  for (size_t k = 0; k < guests_.size(); ++k) configs.push_back(config_of(guests_[k], strategy(k)));
  auto fresh = vmm::Vmm::create(scenario::vmm_config(doc_, std::move(configs)), error);
  if (!fresh) return false;
  std::vector<bool> running;
  if (!load_running_state(bytes, *fresh, &running, error)) return false;
  vmm_ = std::move(fresh);
  for (size_t i = 0; i < guests_.size(); ++i) {
    guests_[i].running = running[i] && guests_[i].has_image();
    guests_[i].history.clear();
  }
  sample(true);
  return true;
}

std::vector<uint8_t> Session::save_snapshot() const {
  if (!vmm_) return {};
  scenario::Scenario doc = document();
  for (size_t i = 0; i < guests_.size(); ++i) {
    doc.guests[i].file.clear();
    doc.guests[i].source = guests_[i].source;
  }
  const std::string json = scenario::to_json(doc);

  StateArchive images = StateArchive::writer();
  images.tag("IMGS");
  std::string path = path_;
  images.string(path, kMaxText, "path bytes");
  images.expect(guests_.size(), "guests");
  for (size_t i = 0; i < guests_.size(); ++i) {
    const SessionGuest& g = guests_[i];
    GuestExtras e{g.origin, g.source, g.image_source, g.source_edited, g.has_image(),
                  config_of(g, strategy(i)),
                  std::vector<uint32_t>(g.breakpoints.begin(), g.breakpoints.end())};
    archive_extras(images, e);
  }
  std::vector<SnapshotSection> sections;
  sections.push_back(section(kDocumentId, std::vector<uint8_t>(json.begin(), json.end())));
  sections.push_back(section(kImagesId, images.take()));
  sections.push_back(section(kStateId, save_state()));
  return write_snapshot_file(sections);
}

bool Session::restore_snapshot(std::span<const uint8_t> bytes, std::string* error) {
  std::string ignored;
  std::string& err = error ? *error : ignored;
  auto fail = [&](std::string why) {
    err = std::move(why);
    return false;
  };
  std::vector<SnapshotSection> sections;
  if (!read_snapshot_file(bytes, &sections, &err)) return false;
  const SnapshotSection* document = nullptr;
  const SnapshotSection* images = nullptr;
  const SnapshotSection* state = nullptr;
  for (const SnapshotSection& s : sections) {
    const SnapshotSection** slot = std::memcmp(s.id, kDocumentId, 4) == 0 ? &document
                                   : std::memcmp(s.id, kImagesId, 4) == 0 ? &images
                                   : std::memcmp(s.id, kStateId, 4) == 0  ? &state
                                                                           : nullptr;
    if (!slot) return fail("unknown section '" + std::string(s.id, 4) + "'");
    if (*slot) return fail("section '" + std::string(s.id, 4) + "' twice");
    *slot = &s;
  }
  if (!document || !images || !state) return fail("a section is missing (document, images and state are needed)");

  // The images section first (it names the scenario's path).
  StateArchive a = StateArchive::reader(images->bytes);
  a.tag("IMGS");
  std::string path;
  a.string(path, kMaxText, "path bytes");
  const size_t count = a.count(0, vmm::kMaxGuests, 1, "guests");
  std::vector<GuestExtras> extras(count);
  for (GuestExtras& e : extras) {
    if (!a.ok()) break;
    archive_extras(a, e);
  }
  if (!a.finish()) return fail("bad images section: " + a.error());

  // The document goes through the scenario loader, as any scenario does.
  Session fresh(files_, clock_);
  const std::string json(document->bytes.begin(), document->bytes.end());
  std::string why;
  if (!fresh.load(json, path, &why)) return fail("the snapshot's scenario: " + why);
  if (fresh.guest_count() != extras.size())
    return fail("the snapshot's scenario has " + std::to_string(fresh.guest_count()) +
                " guests, its images " + std::to_string(extras.size()));

  // Each guest runs the image it had (its source assembled may differ: another
  // strategy's build, or an edit not yet assembled); the editor keeps its text.
  const scenario::LoadOptions options = fresh.build_options();
  for (size_t i = 0; i < extras.size(); ++i) {
    GuestExtras& e = extras[i];
    SessionGuest& g = fresh.guests_[i];
    g.origin = e.origin;
    g.source = e.source;
    g.source_edited = e.source_edited;
    g.breakpoints = std::set<int>(e.breakpoints.begin(), e.breakpoints.end());
    if (!e.has_image) {
      g.image = GuestBuild{};
      g.image_source.clear();
      continue;
    }
    // The limits are the document's (`trapeze run FILE.snap --max-instr` changes them there).
    const vmm::GuestConfig from_document = scenario::guest_config(fresh.doc_, scenario::GuestSpec(g.spec, e.config.strategy));
    e.config.name = g.spec.name;
    e.config.max_instructions = from_document.max_instructions;
    e.config.max_cycles = from_document.max_cycles;
    if (const auto problem = vmm::validate_guest(e.config))
      return fail("guest " + std::to_string(i) + "'s image: " + problem->field + ": " +
                  problem->message);
    GuestBuild build = scenario::build_guest(fresh.doc_, i,
                                             scenario::GuestSpec(g.spec, e.config.strategy),
                                             {e.image_source, e.origin}, options);
    const bool same = build.config && static_cast<const vmm::GuestSetup&>(*build.config) ==
                                          static_cast<const vmm::GuestSetup&>(e.config);
    if (!same) {
      build = GuestBuild{};
      build.file_name = e.origin.empty() ? g.image.file_name : e.origin;
    }
    build.config = e.config;
    g.image = std::move(build);
    g.image_source = e.image_source;
    g.errors.clear();
  }
  if (!fresh.restore_state(state->bytes, &why)) return fail(why);
  fresh.rewind_.start(fresh);  // its history starts at the snapshot
  fresh.changed();
  fresh.message_ = "opened a snapshot of \"" +
                   (fresh.doc_.name.empty() ? fresh.path_ : fresh.doc_.name) + "\"";
  *this = std::move(fresh);
  return true;
}

}  // namespace trapeze::session
