#include "bundle/bundled_files.h"

namespace trapeze::bundle {

scenario::FileReader reader() { return session::table_reader(files()); }

experiments::Sources experiment_sources() {
  experiments::Sources s;
  s.guests_dir = "guests";
  s.read_file = reader();
  return s;
}

}  // namespace trapeze::bundle
