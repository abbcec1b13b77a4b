#include "core/diag.h"

#include <algorithm>

#include "core/terminal_text.h"

namespace goap::core {

std::uint32_t SourceManager::add(std::string display_path, std::string text, bool excerpts) {
  File f{std::move(display_path), std::move(text), {0}, excerpts};
  for (std::uint32_t i = 0; i < f.text.size(); ++i)
    if (f.text[i] == '\n') f.line_starts.push_back(i + 1);
  files_.push_back(std::move(f));
  return static_cast<std::uint32_t>(files_.size() - 1);
}

std::string_view SourceManager::line(std::uint32_t file, std::uint32_t line) const {
  if (file >= files_.size() || line == 0) return {};
  const File& f = files_[file];
  if (line > f.line_starts.size()) return {};
  const std::uint32_t begin = f.line_starts[line - 1];
  std::uint32_t end = line < f.line_starts.size() ? f.line_starts[line] - 1
                                                  : static_cast<std::uint32_t>(f.text.size());
  if (end > begin && f.text[end - 1] == '\r') --end;
  if (begin > end) return {};
  return std::string_view(f.text).substr(begin, end - begin);
}

Diagnostic& Diagnostic::note(SourceLoc at, std::string msg) {
  Diagnostic n;
  n.severity = Severity::note;
  n.loc = at;
  n.message = std::move(msg);
  notes.push_back(std::move(n));
  return *this;
}

Diagnostic& Diagnostics::error(SourceLoc loc, std::string message) {
  list_.push_back(Diagnostic{Severity::error, loc, std::move(message), {}, {}, {}});
  return list_.back();
}

Diagnostic& Diagnostics::warning(SourceLoc loc, std::string message) {
  list_.push_back(Diagnostic{Severity::warning, loc, std::move(message), {}, {}, {}});
  return list_.back();
}

void Diagnostics::append(const Diagnostics& other) {
  list_.insert(list_.end(), other.list_.begin(), other.list_.end());
}

std::size_t Diagnostics::error_count() const {
  return static_cast<std::size_t>(std::count_if(list_.begin(), list_.end(), [](const Diagnostic& d) {
    return d.severity == Severity::error;
  }));
}

std::size_t Diagnostics::warning_count() const {
  return static_cast<std::size_t>(std::count_if(list_.begin(), list_.end(), [](const Diagnostic& d) {
    return d.severity == Severity::warning;
  }));
}

void Diagnostics::sort() {
  std::stable_sort(list_.begin(), list_.end(), [](const Diagnostic& a, const Diagnostic& b) {
    if (a.loc.file != b.loc.file) return a.loc.file < b.loc.file;
    if (a.loc.line != b.loc.line) return a.loc.line < b.loc.line;
    return a.loc.col < b.loc.col;
  });
}

namespace {

const char* severity_word(Severity s) {
  switch (s) {
    case Severity::error: return "error";
    case Severity::warning: return "warning";
    case Severity::note: return "note";
  }
  return "error";
}

const char* severity_color(Severity s) {
  switch (s) {
    case Severity::error: return "\x1b[1;31m";
    case Severity::warning: return "\x1b[1;35m";
    case Severity::note: return "\x1b[1;36m";
  }
  return "";
}

// Length of the UTF-8 sequence starting at s[i] (1 for ASCII and for a stray byte).
std::size_t char_length(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  std::size_t len = c < 0xc0 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
  if (i + len > s.size()) return 1;
  for (std::size_t k = 1; k < len; ++k)
    if ((static_cast<unsigned char>(s[i + k]) & 0xc0) != 0x80) return 1;
  return len;
}

bool is_continuation(std::string_view s, std::size_t i) {
  return i < s.size() && (static_cast<unsigned char>(s[i]) & 0xc0) == 0x80;
}

// A message, hint or path for the terminal: escaped (a newline too: one diagnostic, one line)
// and cut at kMaxMessageBytes.
std::string field(std::string_view s) {
  std::string cut(s.substr(0, kMaxMessageBytes));
  while (cut.size() < s.size() && !cut.empty() && is_continuation(s, cut.size())) cut.pop_back();
  std::string out;
  for (char c : terminal_safe(cut)) {
    if (c == '\n') out += "\\n";
    else out += c;
  }
  if (cut.size() < s.size()) out += "...";
  return out;
}

// The source line as printed under a diagnostic, and where the caret goes in it.
struct Excerpt {
  std::string line;       // escaped, cut to about kMaxExcerptColumns around the caret
  std::string pad;        // what goes before the caret: spaces, and tabs where the line has tabs
  std::size_t marks = 1;  // '^' plus '~'s
};

Excerpt excerpt(std::string_view src, std::uint32_t col, std::uint32_t length) {
  const std::size_t caret = col == 0 ? 0 : std::min<std::size_t>(col - 1, src.size());
  std::size_t begin = 0, end = src.size();
  if (src.size() > kMaxExcerptColumns) {
    // Start at the line's start while the caret fits in the first two thirds; else keep a third
    // of the window before the caret.
    begin = caret > kMaxExcerptColumns * 2 / 3 ? caret - kMaxExcerptColumns / 3 : 0;
    end = std::min(src.size(), begin + kMaxExcerptColumns);
    while (begin > 0 && is_continuation(src, begin)) --begin;
    while (end < src.size() && is_continuation(src, end)) ++end;
  }
  Excerpt e;
  if (begin > 0) {
    e.line = "...";
    e.pad = "   ";
  }
  const std::size_t underline_end = caret + (length == 0 ? 1 : length);
  std::size_t marks = 0;
  for (std::size_t i = begin; i < end;) {
    const std::size_t n = char_length(src, i);
    const std::string shown = src[i] == '\t' ? std::string("\t") : terminal_safe(src.substr(i, n));
    // One column per character; an escape such as \x1b takes as many columns as it prints.
    const std::size_t cols = src[i] == '\t' ? 1 : shown == src.substr(i, n) ? 1 : shown.size();
    if (i < caret) e.pad += src[i] == '\t' ? std::string("\t") : std::string(cols, ' ');
    else if (i < underline_end) marks += cols;
    e.line += shown;
    i += n;
  }
  if (end < src.size()) e.line += "...";
  e.marks = std::max<std::size_t>(marks, 1);
  return e;
}

void render_one(std::string& out, const Diagnostic& d, const SourceManager& sm, RenderOptions opt) {
  const char* bold = opt.color ? "\x1b[1m" : "";
  const char* reset = opt.color ? "\x1b[0m" : "";
  out += bold;
  if (d.loc.known() && d.loc.file < sm.size()) {
    out += field(sm.path(d.loc.file));
    if (d.loc.line != 0) {
      out += ':' + std::to_string(d.loc.line);
      if (d.loc.col != 0) out += ':' + std::to_string(d.loc.col);
    }
    out += ": ";
  } else {
    out += "goap: ";
  }
  out += reset;
  if (opt.color) out += severity_color(d.severity);
  out += severity_word(d.severity);
  out += ": ";
  out += reset;
  out += bold;
  out += field(d.message);
  out += reset;
  out += '\n';

  if (d.quote_source && d.loc.known() && d.loc.file < sm.size() && d.loc.line != 0 && sm.excerpts(d.loc.file)) {
    const Excerpt e = excerpt(sm.line(d.loc.file, d.loc.line), d.loc.col, d.loc.length);
    const std::string num = std::to_string(d.loc.line);
    const std::string gutter(num.size(), ' ');
    out += ' ' + num + " | ";
    out += e.line;
    out += '\n';
    if (d.loc.col != 0) {
      out += ' ' + gutter + " | ";
      out += e.pad;  // tabs kept, so the caret lines up under the same column in a terminal
      if (opt.color) out += "\x1b[1;32m";
      out += '^';
      for (std::size_t i = 1; i < e.marks; ++i) out += '~';
      out += reset;
      out += '\n';
    }
  }
  for (const std::string& h : d.hints) out += "  hint: " + field(h) + '\n';
}

}  // namespace

std::string render(const Diagnostic& d, const SourceManager& sm, RenderOptions opt) {
  std::string out;
  render_one(out, d, sm, opt);
  for (const Diagnostic& n : d.notes) render_one(out, n, sm, opt);
  return out;
}

std::string render_all(const Diagnostics& ds, const SourceManager& sm, RenderOptions opt) {
  std::string out;
  const auto& all = ds.all();
  const std::size_t shown = std::min(all.size(), opt.max_diagnostics);
  for (std::size_t i = 0; i < shown; ++i) out += render(all[i], sm, opt);
  if (shown < all.size())
    out += "goap: note: " + std::to_string(all.size() - shown) + " more diagnostic" +
           (all.size() - shown == 1 ? "" : "s") + " not shown (the first " + std::to_string(shown) + " are above)\n";
  return out;
}

}  // namespace goap::core
