#include "core/diag.h"

#include <algorithm>

namespace goap::core {

std::uint32_t SourceManager::add(std::string display_path, std::string text) {
  File f{std::move(display_path), std::move(text), {0}};
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

void render_one(std::string& out, const Diagnostic& d, const SourceManager& sm, RenderOptions opt) {
  const char* bold = opt.color ? "\x1b[1m" : "";
  const char* reset = opt.color ? "\x1b[0m" : "";
  out += bold;
  if (d.loc.known() && d.loc.file < sm.size()) {
    out += sm.path(d.loc.file);
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
  out += d.message;
  out += reset;
  out += '\n';

  if (d.loc.known() && d.loc.file < sm.size() && d.loc.line != 0) {
    const std::string_view src = sm.line(d.loc.file, d.loc.line);
    const std::string num = std::to_string(d.loc.line);
    const std::string gutter(num.size(), ' ');
    out += ' ' + num + " | ";
    out += src;
    out += '\n';
    if (d.loc.col != 0) {
      out += ' ' + gutter + " | ";
      // Keep tabs so the caret lines up under the same column in a terminal.
      for (std::uint32_t i = 0; i + 1 < d.loc.col && i < src.size(); ++i) out += src[i] == '\t' ? '\t' : ' ';
      if (opt.color) out += "\x1b[1;32m";
      out += '^';
      std::uint32_t len = d.loc.length == 0 ? 1 : d.loc.length;
      const std::size_t room = src.size() >= d.loc.col ? src.size() - d.loc.col + 1 : 1;
      if (len > room) len = static_cast<std::uint32_t>(room == 0 ? 1 : room);
      for (std::uint32_t i = 1; i < len; ++i) out += '~';
      out += reset;
      out += '\n';
    }
  }
  for (const std::string& h : d.hints) out += "  hint: " + h + '\n';
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
  for (const Diagnostic& d : ds.all()) out += render(d, sm, opt);
  return out;
}

}  // namespace goap::core
