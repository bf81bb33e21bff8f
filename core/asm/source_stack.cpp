// Where lines come from: a stack of frames, each a file (the source or an
// .include) or a macro expansion. Also the recording of .macro bodies.
#include "asm/assembly.h"

namespace trapeze::assembler {
namespace {

bool is_ident_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

}  // namespace

int Assembly::include_depth() const {
  int n = 0;
  for (const Frame& f : frames_) n += f.macro == nullptr;
  return n;
}

int Assembly::macro_depth() const { return int(frames_.size()) - include_depth(); }

bool Assembly::next_line(Line& out) {
  while (!frames_.empty() && !stopped_) {
    Frame& f = frames_.back();
    if (f.macro && f.next_body_line < f.macro->body.size()) {
      const MacroLine& body = f.macro->body[f.next_body_line++];
      // \param -> argument text, \@ -> a number unique to this expansion (for labels).
      out.text.clear();
      for (size_t i = 0; i < body.text.size() && out.text.size() <= kMaxExpandedBytes; ++i) {
        if (body.text[i] != '\\' || i + 1 == body.text.size()) {
          out.text += body.text[i];
          continue;
        }
        if (body.text[i + 1] == '@') {
          out.text += std::to_string(f.expansion_id);
          ++i;
          continue;
        }
        size_t j = i + 1;
        while (j < body.text.size() && is_ident_char(body.text[j])) ++j;
        const std::string_view name = std::string_view(body.text).substr(i + 1, j - i - 1);
        size_t p = 0;
        while (p < f.macro->params.size() && f.macro->params[p] != name) ++p;
        if (p == f.macro->params.size()) {
          out.text += '\\';  // not a parameter: left for the lexer to complain about
          continue;
        }
        out.text += f.args[p];
        i = j - 1;
      }
      out.file = body.file;
      out.number = body.number;
      out.main_line = frames_.front().line;  // the bottom frame is the main source
      out.macro_note = f.note;
      out.seq = ++seq_;
      return true;
    }
    if (!f.macro && f.pos < f.text.size()) {
      // LF, CRLF and a bare CR (old Mac files) each end a line.
      size_t end = f.text.find_first_of("\r\n", f.pos);
      if (end == std::string_view::npos) end = f.text.size();
      const std::string_view text = f.text.substr(f.pos, end - f.pos);
      f.pos = end + (f.text.substr(end, 2) == "\r\n" ? 2 : 1);
      out.text.assign(text);
      out.file = f.file;
      out.number = ++f.line;
      out.main_line = frames_.front().line;
      out.macro_note.clear();
      out.seq = ++seq_;
      return true;
    }
    end_frame();
  }
  return false;
}

void Assembly::end_frame() {
  const Frame& f = frames_.back();
  while (conds_.size() > f.cond_depth) {
    const Conditional& c = conds_.back();
    report(c.file, c.line, c.col, "unterminated " + c.directive + " (missing .endif)", c.seq);
    conds_.pop_back();
  }
  if (recording_ && recording_frame_ == frames_.size() - 1) {
    const Macro& m = *recording_;
    report(m.file, m.line, m.col, "unterminated .macro (missing .endm)", m.seq);
    recording_.reset();
  }
  frames_.pop_back();
}

namespace {

// `name` as seen from the file that includes it: relative names are taken
// relative to that file's folder, like C's #include "...", and "a/../" steps are
// folded so diagnostics name each file one way.
std::string resolve_include(const std::string& including_file, const std::string& name) {
  std::string joined = name;
  const size_t slash = including_file.rfind('/');
  if (!name.empty() && name[0] != '/' && slash != std::string::npos)
    joined = including_file.substr(0, slash + 1) + name;
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= joined.size()) {
    size_t end = joined.find('/', start);
    if (end == std::string::npos) end = joined.size();
    const std::string part = joined.substr(start, end - start);
    if (part == ".." && !parts.empty() && parts.back() != ".." && !parts.back().empty()) {
      parts.pop_back();
    } else if (part != "." && !(part.empty() && !parts.empty())) {
      parts.push_back(part);
    }
    start = end + 1;
  }
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? "/" : "") + parts[i];
  return out.empty() ? name : out;
}

}  // namespace

void Assembly::include(const Line& line, const Token& directive, Tokens args) {
  if (args.size() != 1 || args[0].kind != TokenKind::String) {
    error(line, args.empty() ? directive.col : args[0].col, ".include needs a file name in quotes");
    return;
  }
  // Relative to the including file first; then the name as written, which the
  // resolver may look up in its own search path (the CLI's -I directories).
  std::string path = resolve_include(*line.file, args[0].string);
  const int col = args[0].col;
  for (const Frame& f : frames_) {
    if (!f.macro && *f.file == path) {
      error(line, col, "recursive .include: '" + path + "' is already being included");
      return;
    }
  }
  if (include_depth() >= kMaxIncludeDepth) {
    error(line, col, "includes nested too deeply (limit " + std::to_string(kMaxIncludeDepth) + ")");
    return;
  }
  auto cached = include_cache_.find(path);
  if (cached == include_cache_.end() && path != args[0].string) {
    // Found by its name as written in the first pass: don't ask again.
    cached = include_cache_.find(args[0].string);
    if (cached != include_cache_.end()) path = args[0].string;
  }
  if (cached == include_cache_.end()) {
    text::FileText text;
    if (options_.include) text = options_.include(path);
    if (text.missing() && options_.include && path != args[0].string) {
      text = options_.include(args[0].string);
      if (text) path = args[0].string;
    }
    if (text.missing()) {
      error(line, col, "include file '" + path + "' not found");
      return;
    }
    if (!text) {
      error(line, col, "cannot read include file '" + path + "': " + text.error());
      return;
    }
    cached = include_cache_.emplace(path, std::move(*text)).first;
  }
  if (cached->second.size() > options_.max_source_bytes) {
    error(line, col,
          "include file '" + path + "' too large: " + std::to_string(cached->second.size()) +
              " bytes (limit " + std::to_string(options_.max_source_bytes) + ")");
    return;
  }
  frames_.push_back(
      Frame{.file = intern(path), .text = cached->second, .cond_depth = conds_.size()});
}

void Assembly::begin_macro(const Line& line, const Token& directive, Tokens args) {
  // The body is recorded even when the header is bad, so that it is not
  // assembled as ordinary code; a macro with an empty name is then dropped.
  recording_ = Macro{.file = line.file, .line = line.number, .col = directive.col, .seq = line.seq};
  recording_frame_ = frames_.size() - 1;
  if (args.empty() || args[0].kind != TokenKind::Ident) {
    error(line, args.empty() ? directive.col : args[0].col, ".macro needs a name");
    return;
  }
  const std::string name(args[0].text);
  const std::string lower = to_lower(name);
  if (isa::find_mnemonic(lower) || find_pseudo(lower) || name[0] == '.') {
    error(line, args[0].col,
          "'" + name + "' cannot be a macro name (it is an instruction or directive)");
    return;
  }
  if (const auto it = macros_.find(name); it != macros_.end()) {
    error(line, args[0].col,
          "duplicate macro '" + name + "' (first defined at " + *it->second.file + ":" +
              std::to_string(it->second.line) + ")");
    return;
  }
  std::vector<std::string> params;
  for (const Token& t : args.subspan(1)) {
    if (t.is(",")) continue;
    const std::string param(t.text);
    if (t.kind != TokenKind::Ident || param.find('.') != std::string::npos) {
      error(line, t.col, "bad macro parameter '" + param + "'");
      return;
    }
    for (const std::string& p : params) {
      if (p == param) {
        error(line, t.col, "duplicate macro parameter '" + param + "'");
        return;
      }
    }
    params.push_back(param);
  }
  recording_->name = name;
  recording_->params = std::move(params);
}

void Assembly::record_macro_line(const Line& line) {
  const std::string word = to_lower(first_word(line.text));
  if (word == ".endm") {
    if (!recording_->name.empty()) macros_.emplace(recording_->name, std::move(*recording_));
    recording_.reset();
    return;
  }
  if (word == ".macro") {
    error(line, int(line.text.find_first_not_of(" \t")) + 1,
          "a .macro cannot be defined inside another");
    return;
  }
  recording_->body.push_back({line.text, line.file, line.number});
}

void Assembly::expand_macro(const Line& line, const Macro& macro, const Token& name, Tokens args,
                            int end_col) {
  const auto ops = split_operands(line, args, end_col);
  if (!ops) return;
  if (ops->size() != macro.params.size()) {
    error(line, name.col,
          "macro '" + macro.name + "' expects " + std::to_string(macro.params.size()) +
              " argument" + (macro.params.size() == 1 ? "" : "s") + ", got " +
              std::to_string(ops->size()));
    return;
  }
  if (macro_depth() >= kMaxMacroDepth) {
    error(line, name.col,
          "macros nested too deeply (limit " + std::to_string(kMaxMacroDepth) +
              "; does the macro use itself?)");
    return;
  }
  Frame f{.file = line.file,
          .macro = &macro,
          .expansion_id = ++expansion_counter_,
          .note = " (in macro '" + macro.name + "' used at " + *line.file + ":" +
                  std::to_string(line.number) + ")",
          .cond_depth = conds_.size()};
  for (Tokens op : *ops) f.args.push_back(text_of(line, op));
  frames_.push_back(std::move(f));
}

}  // namespace trapeze::assembler
