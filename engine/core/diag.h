// Diagnostics: user-input errors as data.
//
// Every problem found in a user's files is a `Diagnostic`: a severity, a location
// (file:line:col, 1-based, plus the YAML path such as `actions.restart-ollama.pre[1]`), a message,
// optional hints ("did you mean ...") and located notes ("declared here"). Loaders collect every
// diagnostic of a run into one `Diagnostics` list instead of stopping at the first. Only the CLI
// decides what an error means for the exit code.
//
// `SourceManager` owns the text of every file read, so a diagnostic can be rendered later with
// its source line and a caret:
//
//   worlds/w.yaml:12:10: error: unknown fact 'reachble'
//      12 |     pre: [reachble($h)]
//         |           ^~~~~~~~
//     hint: did you mean 'reachable'?
//
// What reaches the terminal is bounded and inert: bytes a terminal would act on (ESC, BEL, C1
// controls) are printed as visible escapes (core/terminal_text.h), a long source line is cut
// around the caret, a long message is cut, and `render_all` prints at most
// `RenderOptions::max_diagnostics`. A file registered without excerpts (one goap did not accept
// as its input, e.g. a `uses:` target that is no goap file) is named with its line and column
// but its text is never printed.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace goap::core {

struct SourceLoc {
  std::uint32_t file = kNoFile;  // index in the SourceManager
  std::uint32_t line = 0;        // 1-based; 0 = unknown
  std::uint32_t col = 0;         // 1-based byte column; 0 = unknown
  std::uint32_t length = 1;      // how many columns the caret underlines

  static constexpr std::uint32_t kNoFile = 0xffffffffu;
  [[nodiscard]] bool known() const { return file != kNoFile; }
  // The same location moved `n` bytes to the right on the same line, underlining `len` bytes.
  [[nodiscard]] SourceLoc shifted(std::uint32_t n, std::uint32_t len = 1) const {
    SourceLoc l = *this;
    if (l.col != 0) l.col += n;
    l.length = len == 0 ? 1 : len;
    return l;
  }
};

class SourceManager {
 public:
  // Registers a file's text under the name diagnostics print; returns its index. With
  // `excerpts` false, diagnostics in the file never print its source lines.
  std::uint32_t add(std::string display_path, std::string text, bool excerpts = true);
  [[nodiscard]] bool excerpts(std::uint32_t file) const { return file < files_.size() && files_[file].excerpts; }
  [[nodiscard]] const std::string& path(std::uint32_t file) const { return files_[file].path; }
  [[nodiscard]] const std::string& text(std::uint32_t file) const { return files_[file].text; }
  // The text of a 1-based line without its newline; empty when out of range.
  [[nodiscard]] std::string_view line(std::uint32_t file, std::uint32_t line) const;
  [[nodiscard]] std::size_t size() const { return files_.size(); }

 private:
  struct File {
    std::string path;
    std::string text;
    std::vector<std::uint32_t> line_starts;
    bool excerpts = true;
  };
  std::vector<File> files_;
};

enum class Severity { error, warning, note };

struct Diagnostic {
  Severity severity = Severity::error;
  SourceLoc loc;
  std::string message;
  std::string yaml_path;          // e.g. "actions.restart-ollama.pre[1]"; may be empty
  std::vector<std::string> hints;  // printed as "  hint: ..."
  std::vector<Diagnostic> notes;   // located notes, e.g. the other declaration
  bool quote_source = true;        // false: the source line is not printed (it holds a secret)

  Diagnostic& hint(std::string h) { hints.push_back(std::move(h)); return *this; }
  Diagnostic& note(SourceLoc at, std::string msg);
  Diagnostic& path(std::string p) { yaml_path = std::move(p); return *this; }
};

class Diagnostics {
 public:
  Diagnostic& error(SourceLoc loc, std::string message);
  Diagnostic& warning(SourceLoc loc, std::string message);
  void append(const Diagnostics& other);

  [[nodiscard]] std::size_t error_count() const;
  [[nodiscard]] std::size_t warning_count() const;
  [[nodiscard]] bool has_errors() const { return error_count() != 0; }
  [[nodiscard]] const std::vector<Diagnostic>& all() const { return list_; }
  // Stable order for output: by file, line, column; insertion order breaks ties.
  void sort();

 private:
  std::vector<Diagnostic> list_;
};

struct RenderOptions {
  bool color = false;
  std::size_t max_diagnostics = 100;  // render_all: the rest are counted in one last line
};

// Source lines longer than this are cut around the caret; messages and hints longer than
// kMaxMessageBytes are cut. Together with max_diagnostics this bounds what one run prints.
inline constexpr std::size_t kMaxExcerptColumns = 200;
inline constexpr std::size_t kMaxMessageBytes = 1000;

// One diagnostic with its source line and caret, then hints and notes, newline-terminated.
std::string render(const Diagnostic& d, const SourceManager& sm, RenderOptions opt = {});
std::string render_all(const Diagnostics& ds, const SourceManager& sm, RenderOptions opt = {});

}  // namespace goap::core
