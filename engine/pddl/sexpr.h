// S-expressions: the syntax layer of PDDL, with a source location on every node.
//
//   (define (domain blocks) (:action pick-up :parameters (?x) ...))
//   └ list ─┬ atom "define"
//           ├ list ─┬ atom "domain"
//           │       └ atom "blocks"
//           └ list ...
//
// PDDL is case-insensitive: atoms are stored lower-cased (ASCII). `;` starts a comment that runs
// to the end of the line. An atom is any run of characters other than whitespace, `(`, `)` and
// `;`, so `?x`, `-`, `:action`, `road-length` and `12.5` are all atoms. An atom holds printable
// ASCII only: a control byte or a non-ASCII byte in one is a located error (comments may hold any
// text).
//
// Errors (an unclosed `(`, a stray `)`, text after the top-level list, nesting deeper than
// kMaxDepth) are reported located into `diags`; parsing then stops and returns nullopt: after a
// bracket mistake the rest of the file has no reliable shape.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/diag.h"

namespace goap::pddl {

struct Node {
  enum class Kind : std::uint8_t { atom, list } kind = Kind::atom;
  std::string text;        // atom: the lower-cased token; list: empty
  core::SourceLoc loc;     // atom: the token; list: its '('
  std::vector<Node> items;  // list only

  [[nodiscard]] bool is_list() const { return kind == Kind::list; }
  [[nodiscard]] bool is_atom() const { return kind == Kind::atom; }
  [[nodiscard]] bool is_atom(std::string_view s) const { return kind == Kind::atom && text == s; }
  // A list whose first item is the atom `head`, e.g. `(and ...)`.
  [[nodiscard]] bool is_form(std::string_view head) const {
    return kind == Kind::list && !items.empty() && items.front().is_atom(head);
  }
  // The first item's text when it is an atom, else "".
  [[nodiscard]] std::string_view head() const {
    return kind == Kind::list && !items.empty() && items.front().is_atom() ? std::string_view(items.front().text)
                                                                           : std::string_view();
  }
};

inline constexpr int kMaxDepth = 200;

// Parses the one top-level list of a file already registered in a SourceManager as `file`.
std::optional<Node> parse_sexpr(std::uint32_t file, std::string_view text, core::Diagnostics& diags);

}  // namespace goap::pddl
