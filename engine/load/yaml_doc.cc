#include "load/yaml_doc.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <unordered_map>

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

// Walks the whole tree once: depth, node budget (aliases are followed, so a bomb blows it),
// duplicate keys. Returns false when the document must be refused.
class Guard {
 public:
  Guard(std::uint32_t file, const core::SourceManager& sm, core::Diagnostics& diags, std::size_t budget)
      : file_(file), sm_(sm), diags_(diags), budget_(budget) {}

  bool walk(const YAML::Node& n, int depth, core::SourceLoc parent) {
    if (++visited_ > budget_) {
      diags_.error(loc_of(n, file_, sm_, parent),
                   "the document expands to more than " + std::to_string(budget_) +
                       " nodes; aliases ('*name') that repeat large anchors are refused")
          .hint("write the content out, or reuse fewer aliases");
      return false;
    }
    if (depth > kMaxDepth) {
      diags_.error(loc_of(n, file_, sm_, parent),
                   "nesting is deeper than " + std::to_string(kMaxDepth) + " levels");
      return false;
    }
    const auto here = loc_of(n, file_, sm_, parent);
    if (n.IsSequence()) {
      for (const auto& item : n)
        if (!walk(item, depth + 1, here)) return false;
    } else if (n.IsMap()) {
      std::unordered_map<std::string, core::SourceLoc> seen;
      for (const auto& kv : n) {
        if (kv.first.IsScalar()) {
          const auto kloc = loc_of(kv.first, file_, sm_, here);
          auto [it, fresh] = seen.emplace(kv.first.Scalar(), kloc);
          if (!fresh) {
            diags_.error(kloc, "duplicate key '" + kv.first.Scalar() + "'")
                .hint("YAML keeps only one of them; merge the two entries")
                .note(it->second, "first written here");
          }
        } else if (!walk(kv.first, depth + 1, here)) {
          return false;
        }
        if (!walk(kv.second, depth + 1, here)) return false;
      }
    }
    return true;
  }

 private:
  std::uint32_t file_;
  const core::SourceManager& sm_;
  core::Diagnostics& diags_;
  std::size_t budget_;
  std::size_t visited_ = 0;
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
      // Rejoin: `f(a` + `b)` -> `f(a, b)`, remembering where each piece came from.
      SourceText& cur = out.back();
      cur.text += ", ";
      const auto at = static_cast<std::uint32_t>(cur.text.size());
      cur.text += piece.text;
      for (auto p : piece.pieces) {
        p.offset += at;
        cur.pieces.push_back(p);
      }
    } else {
      out.push_back(std::move(piece));
    }
    open = flow && depth_of(out.back().text) > 0;
  }
  return out;
}

std::optional<YamlFile> parse_yaml(std::string display_path, std::string text, core::SourceManager& sm,
                                   core::Diagnostics& diags, core::SourceLoc used_from) {
  if (text.size() > kMaxFileBytes) {
    const auto f = sm.add(std::move(display_path), std::string());
    auto& d = used_from.known() ? diags.error(used_from, "'" + sm.path(f) + "' is too large")
                                : diags.error(core::SourceLoc{f, 0, 0, 1}, "file is too large");
    d.hint("the limit is " + std::to_string(kMaxFileBytes) + " bytes (4 MiB) per file");
    return std::nullopt;
  }
  if (const auto bad = first_bad_byte(text); bad != std::string::npos) {
    const auto byte = static_cast<unsigned char>(text[bad]);
    // Keep the text up to the bad byte so the location can still be shown.
    const auto f = sm.add(std::move(display_path), text.substr(0, bad));
    const auto l = offset_loc(text, bad, f);
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02x", byte);
    diags.error(l, std::string("this is not a YAML text file: byte ") + hex + " at offset " + std::to_string(bad) +
                       (byte == 0 ? " is a NUL" : " is not valid UTF-8"));
    return std::nullopt;
  }
  const auto f = sm.add(std::move(display_path), std::move(text));
  std::vector<YAML::Node> docs;
  try {
    std::istringstream in(sm.text(f));
    docs = YAML::LoadAll(in);
  } catch (const YAML::Exception& e) {
    core::SourceLoc l{f, 0, 0, 1};
    if (e.mark.line >= 0) l = core::SourceLoc{f, static_cast<std::uint32_t>(e.mark.line + 1),
                                              static_cast<std::uint32_t>(e.mark.column + 1), 1};
    std::string msg = e.msg;
    if (dynamic_cast<const YAML::DeepRecursion*>(&e) != nullptr) msg = "nesting is too deep";
    diags.error(l, "invalid YAML: " + msg);
    return std::nullopt;
  }
  if (docs.empty() || docs.front().IsNull()) {
    diags.error(core::SourceLoc{f, 1, 1, 1}, "the file is empty").hint("a goap file starts with 'kind: world', 'kind: actions', 'kind: goals' or 'kind: state'");
    return std::nullopt;
  }
  if (docs.size() > 1) {
    diags.error(loc_of(docs[1], f, sm, core::SourceLoc{f, 1, 1, 1}), "a goap file holds one YAML document, this one has " +
                                                                        std::to_string(docs.size()))
        .hint("split it into one file per document");
    return std::nullopt;
  }
  const std::size_t before = diags.error_count();
  Guard guard(f, sm, diags, kMaxNodesPerByte * sm.text(f).size() + 64);
  if (!guard.walk(docs.front(), 0, core::SourceLoc{f, 1, 1, 1})) return std::nullopt;
  if (diags.error_count() != before) return YamlFile{f, docs.front()};  // duplicate keys: reported, keep going
  return YamlFile{f, docs.front()};
}

std::optional<YamlFile> read_yaml_file(const std::string& path, const std::string& display_path,
                                       core::SourceManager& sm, core::Diagnostics& diags, core::SourceLoc used_from) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (used_from.known())
      diags.error(used_from, "cannot open '" + display_path + "': " + std::strerror(errno));
    else
      diags.error({}, "cannot open '" + display_path + "': " + std::strerror(errno));
    return std::nullopt;
  }
  // Read in chunks, at most one byte past the limit: a huge file (or an endless device) is
  // refused without being loaded, and a small file costs only its own size.
  std::string text;
  char chunk[64 * 1024];
  while (text.size() <= kMaxFileBytes && in.read(chunk, sizeof chunk).gcount() > 0)
    text.append(chunk, static_cast<std::size_t>(in.gcount()));
  if (text.size() > kMaxFileBytes) text.resize(kMaxFileBytes + 1);
  if (in.bad()) {
    diags.error(used_from, "cannot read '" + display_path + "'");
    return std::nullopt;
  }
  return parse_yaml(display_path, std::move(text), sm, diags, used_from);
}

}  // namespace goap::load::detail
