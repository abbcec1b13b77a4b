#include "load/yaml_doc.h"

#include "core/input_file.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/parser.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <algorithm>
#include <fstream>
#include <limits>
#include <sstream>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace goap::load::detail {
namespace {

// First invalid UTF-8 byte or NUL, or npos.
std::size_t first_bad_byte(const std::string& s) {
  std::size_t i = 0;
  const std::size_t n = s.size();
  while (i < n) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == 0) return i;
    if (c < 0x80) { ++i; continue; }
    int len = 0;
    if ((c & 0xe0) == 0xc0 && c >= 0xc2) len = 2;
    else if ((c & 0xf0) == 0xe0) len = 3;
    else if ((c & 0xf8) == 0xf0 && c <= 0xf4) len = 4;
    else return i;
    if (i + len > n) return i;
    for (int k = 1; k < len; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xc0) != 0x80) return i;
    i += len;
  }
  return std::string::npos;
}

core::SourceLoc offset_loc(const std::string& s, std::size_t off, std::uint32_t file) {
  std::uint32_t line = 1, col = 1;
  for (std::size_t i = 0; i < off && i < s.size(); ++i) {
    if (s[i] == '\n') { ++line; col = 1; } else { ++col; }
  }
  return core::SourceLoc{file, line, col, 1};
}

// A light scan of flow brackets, not a YAML parser: it knows quotes, comments and block scalars
// well enough to find the bracket a syntax error most likely refers to. Used only to place
// notes and carets, never to accept or refuse a file.
// Returns the positions of the `[` / `{` still open at byte `end`; stops early, with the stack as
// it is, once more than `max_open` are open.
std::vector<std::size_t> open_flow_brackets(const std::string& s, std::size_t end, std::size_t max_open) {
  std::vector<std::size_t> open;
  std::size_t i = 0;
  std::size_t block_indent = std::string::npos;  // inside a `|` / `>` scalar: its parent's indent
  bool value_start = true;                       // the next non-space char starts a node
  std::size_t line_indent = 0;
  end = std::min(end, s.size());
  while (i < end) {
    // Start of a line: measure the indentation; skip the lines of a block scalar.
    if (i == 0 || s[i - 1] == '\n') {
      std::size_t j = i;
      while (j < end && s[j] == ' ') ++j;
      line_indent = j - i;
      if (block_indent != std::string::npos) {
        if (j < end && s[j] != '\n' && line_indent <= block_indent) {
          block_indent = std::string::npos;
        } else {
          while (i < end && s[i] != '\n') ++i;
          if (i < end) ++i;
          continue;
        }
      }
      if (open.empty()) value_start = true;
    }
    const char c = s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++i;
      continue;
    }
    if (c == '#' && (i == 0 || s[i - 1] == ' ' || s[i - 1] == '\t' || s[i - 1] == '\n')) {
      while (i < end && s[i] != '\n') ++i;
      continue;
    }
    const bool flow = !open.empty();
    if (value_start && (c == '"' || c == '\'')) {
      for (++i; i < end; ++i) {
        if (c == '"' && s[i] == '\\') { ++i; continue; }
        if (s[i] == c) {
          if (c == '\'' && i + 1 < end && s[i + 1] == '\'') { ++i; continue; }
          break;
        }
      }
      ++i;
      value_start = false;
      continue;
    }
    if ((c == '[' || c == '{') && (value_start || flow)) {
      open.push_back(i);
      if (open.size() > max_open) return open;
      value_start = true;
      ++i;
      continue;
    }
    if (flow && (c == ']' || c == '}')) {
      open.pop_back();
      value_start = false;
      ++i;
      continue;
    }
    if (flow && c == ',') {
      value_start = true;
      ++i;
      continue;
    }
    if (!flow && value_start && (c == '|' || c == '>')) {
      block_indent = line_indent;
      while (i < end && s[i] != '\n') ++i;
      continue;
    }
    if ((c == ':' || c == '-' || c == '?') && (i + 1 >= s.size() || s[i + 1] == ' ' || s[i + 1] == '\n')) {
      value_start = true;
      ++i;
      continue;
    }
    value_start = false;
    ++i;
  }
  return open;
}

std::size_t unclosed_flow_opener(const std::string& s, std::size_t end, char want) {
  const auto open = open_flow_brackets(s, end, std::numeric_limits<std::size_t>::max());
  for (auto it = open.rbegin(); it != open.rend(); ++it)
    if (s[*it] == want) return *it;
  return std::string::npos;
}

// yaml-cpp's messages name the grammar; add what a person should look at.
// `may_quote` false: the file is no goap input (core/diag.h), and no hint may quote its text.
void explain_syntax_error(const std::string& text, const YAML::Exception& e, core::Diagnostic& d, std::uint32_t file,
                          bool may_quote) {
  const std::size_t pos = e.mark.pos >= 0 ? static_cast<std::size_t>(e.mark.pos) : std::string::npos;
  const char at = pos < text.size() ? text[pos] : '\0';
  const bool seq = e.msg == YAML::ErrorMsg::END_OF_SEQ_FLOW;
  // `{n: int[0..3]}`: inside [...] or {...} a bracket ends an unquoted value, so the YAML breaks
  // at the bracket glued to a word, far from any real missing '}'.
  if ((seq || e.msg == YAML::ErrorMsg::END_OF_MAP_FLOW) && (at == '[' || at == '{' || at == ']' || at == '}') &&
      pos > 0 && text[pos - 1] != ' ' && text[pos - 1] != '\t' && text[pos - 1] != ',' && text[pos - 1] != '[' &&
      text[pos - 1] != '{' && text[pos - 1] != ':') {
    d.message = std::string("invalid YAML: inside [...] or {...}, a '") + at + "' cannot be part of an unquoted value";
    // Quote back the whole value: the word before the bracket up to the bracket that closes it.
    std::size_t b = pos, e = pos;
    while (b > 0 && std::string_view(" \t\n,[{:").find(text[b - 1]) == std::string_view::npos) --b;
    for (int depth = 0; e < text.size() && text[e] != '\n';) {
      const char c = text[e++];
      if (c == '[' || c == '{') ++depth;
      if ((c == ']' || c == '}') && --depth <= 0) break;
    }
    if (may_quote) d.hint("quote the value: \"" + text.substr(b, e - b) + "\", or write the collection as indented lines");
    return;
  }
  if (seq || e.msg == YAML::ErrorMsg::END_OF_MAP_FLOW) {
    const char open = seq ? '[' : '{', close = seq ? ']' : '}';
    d.message = std::string("invalid YAML: a '") + open + "' is never closed with '" + close + "'";
    if (const auto o = unclosed_flow_opener(text, pos, open); o != std::string::npos)
      d.note(offset_loc(text, o, file), std::string("the '") + open + "' opened here");
    d.hint(seq ? "close the list with ']', or write it as a block list ('- item' lines)"
               : "close the mapping with '}', or write it as a block mapping (indented 'key: value' lines)");
    return;
  }
  if (e.msg == YAML::ErrorMsg::UNKNOWN_TOKEN && at == '?') {
    d.hint("inside [...] or {...} a '?' is YAML syntax: declare a parameter as 'h: host' and use it as '$h'");
    return;
  }
  if (e.msg == YAML::ErrorMsg::FLOW_END) {
    d.hint(std::string("this '") + at + "' closes nothing that is open here; check the brackets before it");
    return;
  }
  // A tab in the indentation is the usual cause of the block errors.
  if (e.mark.line >= 0) {
    std::size_t b = pos == std::string::npos ? 0 : std::min(pos, text.size());
    while (b > 0 && text[b - 1] != '\n') --b;
    for (std::size_t i = b; i < text.size() && (text[i] == ' ' || text[i] == '\t'); ++i)
      if (text[i] == '\t') {
        d.hint("this line is indented with a tab; YAML indents with spaces only");
        return;
      }
  }
  if (e.msg == YAML::ErrorMsg::MAP_VALUE)
    d.hint("a value that contains ': ' must be quoted; otherwise check the indentation of this line");
  else if (e.msg == YAML::ErrorMsg::END_OF_MAP || e.msg == YAML::ErrorMsg::END_OF_SEQ ||
           e.msg == YAML::ErrorMsg::BLOCK_ENTRY)
    d.hint("check the indentation: the items of one mapping or list start in the same column");
}

// Records where each document starts; ignores everything else.
class DocumentCounter : public YAML::EventHandler {
 public:
  std::vector<YAML::Mark> starts;
  void OnDocumentStart(const YAML::Mark& mark) override { starts.push_back(mark); }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

// Walks the whole tree once: depth, node budget (aliases are followed, so a bomb blows it),
// duplicate keys. Returns false when the document must be refused.
class Guard {
 public:
  Guard(std::uint32_t file, const core::SourceManager& sm, core::Diagnostics& diags, std::size_t budget)
      : file_(file), sm_(sm), diags_(diags), budget_(budget) {}

  bool walk(const YAML::Node& n, int depth, core::SourceLoc parent) { return walk(n, depth, parent, Site{}); }

 private:
  // Where an alias expansion is written: the deepest node on the current path whose position
  // does not go back in the file. An aliased node carries its anchor's (earlier) position, so the
  // site is the collection that holds the alias, which is what a person must change.
  // The walk is in document order, so a node that sits before the furthest position seen so far
  // is reached through an alias.
  struct Site {
    core::SourceLoc loc;
    bool frozen = false;
  };

  bool walk(const YAML::Node& n, int depth, core::SourceLoc parent, Site site) {
    const auto here = loc_of(n, file_, sm_, parent);
    if (!site.frozen) {
      const int pos = n.Mark().pos;
      if (pos >= furthest_) {
        site = Site{here, false};
        furthest_ = pos;
      } else {
        site.frozen = true;
      }
    }
    if (++visited_ > budget_) {
      diags_.error(site.loc.known() ? site.loc : here,
                   "the document expands to more than " + std::to_string(budget_) +
                       " nodes; aliases ('*name') that repeat large anchors are refused")
          .hint("write the content out, or reuse fewer aliases");
      return false;
    }
    if (depth > kMaxDepth) {
      diags_.error(here, "nesting is deeper than " + std::to_string(kMaxDepth) + " levels")
          .hint("goap files need only a few levels of nesting");
      return false;
    }
    if (n.IsSequence()) {
      for (const auto& item : n)
        if (!walk(item, depth + 1, here, site)) return false;
    } else if (n.IsMap()) {
      std::unordered_map<std::string, core::SourceLoc> seen;
      for (const auto& kv : n) {
        if (kv.first.IsScalar()) {
          const auto kloc = loc_of(kv.first, file_, sm_, here);
          if (!site.frozen) furthest_ = std::max(furthest_, kv.first.Mark().pos);
          auto [it, fresh] = seen.emplace(kv.first.Scalar(), kloc);
          if (!fresh && !site.frozen) {  // an alias repeats the same map: report it once
            diags_.error(kloc, "duplicate key '" + kv.first.Scalar() + "'")
                .hint("YAML keeps only one of them; merge the two entries")
                .note(it->second, "first written here");
          }
        } else if (!walk(kv.first, depth + 1, here, site)) {
          return false;
        }
        if (!walk(kv.second, depth + 1, here, site)) return false;
      }
    }
    return true;
  }

  std::uint32_t file_;
  const core::SourceManager& sm_;
  core::Diagnostics& diags_;
  std::size_t budget_;
  std::size_t visited_ = 0;
  int furthest_ = -1;
};

}  // namespace

core::SourceLoc loc_of(const YAML::Node& n, std::uint32_t file, const core::SourceManager& sm,
                       core::SourceLoc fallback) {
  const YAML::Mark m = n.Mark();
  if (m.line < 0 || m.column < 0) return fallback;
  core::SourceLoc l{file, static_cast<std::uint32_t>(m.line + 1), static_cast<std::uint32_t>(m.column + 1), 1};
  if (n.IsScalar()) {
    const std::string& text = sm.text(file);
    const std::string& s = n.Scalar();
    std::size_t pos = static_cast<std::size_t>(m.pos);
    if (pos < text.size() && (text[pos] == '"' || text[pos] == '\'')) {
      l.length = static_cast<std::uint32_t>(s.size() + 2);
    } else if (text.compare(pos, s.size(), s) == 0 && !s.empty()) {
      l.length = static_cast<std::uint32_t>(s.size());
    }
    // A multi-line scalar underlines only what fits on its first line (render() clamps too).
  }
  return l;
}

SourceText scalar_text(const YAML::Node& n, std::uint32_t file, const core::SourceManager& sm) {
  SourceText st;
  st.text = n.Scalar();
  core::SourceLoc l = loc_of(n, file, sm);
  const YAML::Mark m = n.Mark();
  bool exact = false;
  if (m.pos >= 0) {
    const std::string& text = sm.text(file);
    std::size_t pos = static_cast<std::size_t>(m.pos);
    if (pos < text.size() && (text[pos] == '"' || text[pos] == '\'')) {
      ++pos;
      l = l.shifted(1);
    }
    exact = text.compare(pos, st.text.size(), st.text) == 0;
  }
  l.length = 1;
  st.pieces.push_back(SourceText::Piece{0, l, exact});
  return st;
}

YAML::Node get(const YAML::Node& map, const std::string& key) {
  if (map.IsMap()) {
    const YAML::Node v = map[key];
    if (v.IsDefined()) return v;
  }
  return YAML::Node(YAML::NodeType::Undefined);
}

const char* node_kind_name(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Null: return "nothing";
    case YAML::NodeType::Scalar: return "a single value";
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Map: return "a mapping";
    case YAML::NodeType::Undefined: return "nothing";
  }
  return "something else";
}

std::vector<SourceText> expression_list(const YAML::Node& n, std::uint32_t file, const core::SourceManager& sm,
                                        core::Diagnostics& diags, const std::string& what) {
  std::vector<SourceText> out;
  if (!n.IsDefined() || n.IsNull()) return out;
  if (n.IsScalar()) {
    out.push_back(scalar_text(n, file, sm));
    return out;
  }
  if (!n.IsSequence()) {
    diags.error(loc_of(n, file, sm), what + " must be a list of expressions, not " + node_kind_name(n))
        .hint("write e.g. [reachable($h), not disk_ok($h)]");
    return out;
  }
  const bool flow = n.Style() == YAML::EmitterStyle::Flow;
  auto depth_of = [](const std::string& s) {
    int d = 0;
    for (char c : s) d += c == '(' ? 1 : c == ')' ? -1 : 0;
    return d;
  };
  bool open = false;  // the last item still has an unclosed '('
  for (const auto& item : n) {
    if (!item.IsScalar()) {
      auto& d = diags.error(loc_of(item, file, sm),
                            "each item of " + what + " must be one expression, not " + node_kind_name(item));
      if (item.IsMap()) d.hint("a ': ' inside an unquoted item starts a mapping; quote the item");
      open = false;
      continue;
    }
    SourceText piece = scalar_text(item, file, sm);
    if (open) {
      out.back().rejoin(piece);  // `f(a` + `b)` -> `f(a, b)`
    } else {
      out.push_back(std::move(piece));
    }
    open = flow && depth_of(out.back().text) > 0;
  }
  return out;
}

// True when the text may hold a second document (a line starting with `---` or `...` after the
// first) or a line starting with ',' (yaml-cpp 0.7 loops on a stray ',': see below). Only then
// are documents counted in a separate pass; false positives merely cost that pass.
bool needs_document_count(const std::string& text) {
  bool content = false;
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t end = std::min(text.find('\n', i), text.size());
    std::size_t j = i;
    while (j < end && (text[j] == ' ' || text[j] == '\t')) ++j;
    if (j < end && text[j] == ',') return true;
    if (text.compare(i, 3, "---") == 0 || text.compare(i, 3, "...") == 0) {
      if (content) return true;
    } else if (j < end && text[j] != '#') {
      content = true;
    }
    i = end + 1;
  }
  return false;
}

std::optional<YamlFile> parse_yaml(std::string display_path, std::string text, core::SourceManager& sm,
                                   core::Diagnostics& diags, core::SourceLoc used_from) {
  if (text.size() > kMaxFileBytes) {
    const auto f = sm.add(std::move(display_path), std::string());
    const std::string what = "is larger than the limit of " + std::to_string(kMaxFileBytes) + " bytes (4 MiB)";
    auto& d = used_from.known() ? diags.error(used_from, "'" + sm.path(f) + "' " + what)
                                : diags.error(core::SourceLoc{f, 0, 0, 1}, "the file " + what);
    d.hint("split it into smaller files that the world pulls in with 'uses:'");
    return std::nullopt;
  }
  if (const auto bad = first_bad_byte(text); bad != std::string::npos) {
    const auto byte = static_cast<unsigned char>(text[bad]);
    // Keep the text up to the bad byte so the location can still be shown.
    std::string good = text.substr(0, bad);
    const bool excerpts = names_a_kind(good);
    const auto f = sm.add(std::move(display_path), std::move(good), excerpts);
    const auto l = offset_loc(text, bad, f);
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02x", byte);
    diags.error(l, std::string("this is not a YAML text file: byte ") + hex + " at offset " + std::to_string(bad) +
                       (byte == 0 ? " is a NUL" : " is not valid UTF-8"));
    return std::nullopt;
  }
  const bool excerpts = names_a_kind(text);
  const auto f = sm.add(std::move(display_path), std::move(text), excerpts);
  YAML::Node root;
  DocumentCounter counter;
  try {
    // The usual file has one document and nothing that trips yaml-cpp: parse it once. (Counting
    // documents first costs a second pass of yaml-cpp's scanner, which is most of `goap next`'s
    // own time on the bundled world.)
    if (!needs_document_count(sm.text(f))) {
      root = YAML::Load(sm.text(f));
      counter.starts.push_back(root.Mark());
    } else {
    // Count the documents without building nodes. YAML::LoadAll would do both, but in
    // yaml-cpp 0.7 it never returns on a stray ',' outside [...] (yaml-cpp issue #1040: every
    // round yields another empty document without consuming the ','), growing memory until the
    // process dies. Here a document that starts where the previous one started is that case.
    std::istringstream in(sm.text(f));
    YAML::Parser parser(in);
    while (parser.HandleNextDocument(counter)) {
      const auto& st = counter.starts;
      if (st.size() >= 2 && st[st.size() - 1].pos == st[st.size() - 2].pos) {
        const YAML::Mark m = st.back();
        const char c = static_cast<std::size_t>(m.pos) < sm.text(f).size() ? sm.text(f)[static_cast<std::size_t>(m.pos)] : ' ';
        auto& d = diags.error(core::SourceLoc{f, static_cast<std::uint32_t>(m.line + 1), static_cast<std::uint32_t>(m.column + 1), 1},
                              c == ',' ? std::string("invalid YAML: a ',' outside [...] or {...}")
                                       : std::string("invalid YAML: unexpected '") + c + "'");
        if (c == ',') d.hint("a block list puts each item on its own '- ' line; or wrap the items in [...]");
        return std::nullopt;
      }
    }
    if (counter.starts.size() == 1) root = YAML::Load(sm.text(f));
    }
  } catch (const YAML::Exception& e) {
    core::SourceLoc l{f, 0, 0, 1};
    if (e.mark.line >= 0) l = core::SourceLoc{f, static_cast<std::uint32_t>(e.mark.line + 1),
                                              static_cast<std::uint32_t>(e.mark.column + 1), 1};
    std::string msg = e.msg;
    auto& d = diags.error(l, "invalid YAML: " + msg);
    if (dynamic_cast<const YAML::DeepRecursion*>(&e) != nullptr) {
      // yaml-cpp stops thousands of levels down and marks the end; point at the level too many.
      const auto open = open_flow_brackets(sm.text(f), sm.text(f).size(), kMaxDepth);
      if (open.size() > static_cast<std::size_t>(kMaxDepth)) d.loc = offset_loc(sm.text(f), open.back(), f);
      d.message = "nesting is deeper than " + std::to_string(kMaxDepth) + " levels";
      d.hint("goap files need only a few levels of nesting");
    } else {
      explain_syntax_error(sm.text(f), e, d, f, sm.excerpts(f));
    }
    return std::nullopt;
  }
  if (counter.starts.empty() || (counter.starts.size() == 1 && root.IsNull())) {
    const std::string& t = sm.text(f);
    const bool blank = t.find_first_not_of(" \t\r\n") == std::string::npos;
    bool only_comments = true;
    for (std::size_t b = 0; b < t.size() && only_comments;) {
      const std::size_t e = std::min(t.find('\n', b), t.size());
      const std::size_t c = t.find_first_not_of(" \t\r", b);
      only_comments = c >= e || t[c] == '#';
      b = e + 1;
    }
    diags.error(core::SourceLoc{f, 1, 1, 1}, blank           ? "the file is empty"
                                             : only_comments ? "the file holds no YAML content, only comments"
                                                             : "the file's only document is empty").hint("a goap file starts with 'kind: world', 'kind: actions', 'kind: goals' or 'kind: state'");
    return std::nullopt;
  }
  if (counter.starts.size() > 1) {
    const YAML::Mark m = counter.starts[1];
    diags.error(core::SourceLoc{f, static_cast<std::uint32_t>(m.line + 1), static_cast<std::uint32_t>(m.column + 1), 1},
                "a goap file holds one YAML document, this one has " + std::to_string(counter.starts.size()))
        .hint("split it into one file per document");
    return std::nullopt;
  }
  // Duplicate keys are reported but the file is still used, so every other error shows too.
  Guard guard(f, sm, diags, kMaxNodesPerByte * sm.text(f).size() + 64);
  if (!guard.walk(root, 0, core::SourceLoc{f, 1, 1, 1})) return std::nullopt;
  return YamlFile{f, root};
}

std::optional<std::string> read_file_text(const std::string& path, const std::string& display_path,
                                          core::SourceManager& sm, core::Diagnostics& diags, core::SourceLoc used_from) {
  core::InputFile in = core::read_input_file(path, kMaxFileBytes);
  if (in.ok()) return std::move(in.text);
  if (in.status == core::InputStatus::too_large && !used_from.known()) {
    const auto f = sm.add(display_path, std::string());
    diags.error(core::SourceLoc{f, 0, 0, 1}, "the file is larger than the limit of " + std::to_string(kMaxFileBytes) +
                                                 " bytes (4 MiB)")
        .hint("split it into smaller files that the world pulls in with 'uses:'");
    return std::nullopt;
  }
  auto& d = diags.error(used_from, in.message(display_path, kMaxFileBytes));
  if (in.status == core::InputStatus::too_large) d.hint("split it into smaller files that the world pulls in with 'uses:'");
  if (in.status == core::InputStatus::not_regular && in.what == "a directory" && used_from.known())
    d.hint("'uses' names files; to take every file in it write '" + display_path + "/*.yaml'");
  return std::nullopt;
}

bool declares_goap_kind(std::string_view t) {
  static constexpr std::string_view kinds[] = {"world", "actions", "goals", "state", "sensors"};
  const auto skip = [&t](std::size_t i, std::string_view chars) {
    while (i < t.size() && chars.find(t[i]) != std::string_view::npos) ++i;
    return i;
  };
  for (std::size_t b = 0; b < t.size();) {
    const std::size_t e = std::min(t.find('\n', b), t.size());
    std::size_t i = skip(skip(b, " \t"), "{ \t");
    char q = i < e && (t[i] == '"' || t[i] == '\'') ? t[i] : '\0';
    if (q) ++i;
    if (t.substr(i, 4) == "kind" && (i += 4, !q || (i < e && t[i++] == q))) {
      i = skip(i, " \t");
      if (i < e && t[i] == ':') {
        i = skip(i + 1, " \t");
        if (i < e && (t[i] == '"' || t[i] == '\'')) ++i;
        for (std::string_view k : kinds)
          if (t.substr(i, k.size()) == k) {
            const std::size_t after = i + k.size();
            if (after >= e || std::string_view(" \t\r\"',}#").find(t[after]) != std::string_view::npos) return true;
          }
      }
    }
    b = e + 1;
  }
  return false;
}

bool names_a_kind(std::string_view t) {
  for (std::size_t b = 0; b < t.size();) {
    const std::size_t e = std::min(t.find('\n', b), t.size());
    std::size_t i = b;
    while (i < e && std::string_view(" \t-[{\"'").find(t[i]) != std::string_view::npos) ++i;
    if (t.substr(i, 4) == "kind") {
      i += 4;
      while (i < e && std::string_view(" \t\"'").find(t[i]) != std::string_view::npos) ++i;
      if (i < e && (t[i] == ':' || t[i] == ',')) return true;
    }
    b = e + 1;
  }
  return false;
}

std::optional<YamlFile> read_yaml_file(const std::string& path, const std::string& display_path,
                                       core::SourceManager& sm, core::Diagnostics& diags, core::SourceLoc used_from) {
  auto text = read_file_text(path, display_path, sm, diags, used_from);
  if (!text) return std::nullopt;
  return parse_yaml(display_path, std::move(*text), sm, diags, used_from);
}

WithRead read_with(const YAML::Node& with, std::uint32_t file, const core::SourceManager& sm,
                   core::Diagnostics& diags, bool allow_empty, const std::function<bool(const YAML::Node&)>& check,
                   std::vector<std::pair<std::string, model::WithValue>>& out) {
  WithRead r;
  if (!with.IsDefined() || with.IsNull()) return r;
  if (!with.IsMap()) {
    diags.error(loc_of(with, file, sm), "'with' must be a mapping of plugin parameters");
    r.is_map = r.ok = false;
    return r;
  }
  for (const auto& kv : with) {
    if (!kv.first.IsScalar()) continue;
    model::WithValue v;
    v.loc = loc_of(kv.second, file, sm, loc_of(kv.first, file, sm));
    if (kv.second.IsScalar()) {
      v.items.push_back(kv.second.Scalar());
      r.ok = check(kv.second) && r.ok;
    } else if (kv.second.IsSequence()) {
      v.is_list = true;
      for (const auto& item : kv.second) {
        if (!item.IsScalar()) {
          diags.error(loc_of(item, file, sm, v.loc), "items of '" + kv.first.Scalar() + "' must be single values");
          r.ok = false;
          continue;
        }
        v.items.push_back(item.Scalar());
        r.ok = check(item) && r.ok;
      }
    } else if (!kv.second.IsNull() || !allow_empty) {
      diags.error(v.loc, "plugin parameter '" + kv.first.Scalar() + "' must be a value or a list of values");
      r.ok = false;
      continue;
    }
    out.emplace_back(kv.first.Scalar(), std::move(v));
  }
  return r;
}

}  // namespace goap::load::detail
