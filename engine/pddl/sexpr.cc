#include "pddl/sexpr.h"

#include <cstdio>

namespace goap::pddl {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

class Parser {
 public:
  Parser(std::uint32_t file, std::string_view text, core::Diagnostics& diags) : file_(file), text_(text), diags_(diags) {}

  std::optional<Node> run() {
    skip_blank();
    if (pos_ >= text_.size()) {
      diags_.error(here(), "the file is empty: expected '(define ...)'");
      return std::nullopt;
    }
    if (text_[pos_] != '(') {
      diags_.error(here(token_length()), "expected '(define ...)' here");
      return std::nullopt;
    }
    // An explicit stack instead of recursion: deep input cannot overflow the C++ stack.
    std::vector<Node> open;
    std::optional<Node> top;
    while (true) {
      skip_blank();
      if (pos_ >= text_.size()) {
        if (!open.empty()) {
          // The innermost unclosed list: after a forgotten ')', every later pair still matches,
          // so the list that stays open is the one that lost its ')'.
          auto& d = diags_.error(open.back().loc, "this '(' is never closed");
          if (suspect_.known())
            d.note(suspect_, "is a ')' missing before this '('? It is indented like the '(' on line " +
                                 std::to_string(suspect_parent_line_) + " but lies inside it");
          else
            d.hint(open.size() == 1 ? "add ')' at the end of the file"
                                    : "a ')' is missing at the end of this list or inside it");
          return std::nullopt;
        }
        return bad_name_ ? std::nullopt : top;
      }
      const char c = text_[pos_];
      if (c == '(') {
        if (top) return trailing();
        if (open.size() >= static_cast<std::size_t>(kMaxDepth)) {
          diags_.error(here(), "lists nested more than " + std::to_string(kMaxDepth) + " deep");
          return std::nullopt;
        }
        Node n;
        n.kind = Node::Kind::list;
        n.loc = here();
        // A list that starts a line no deeper than its parent's '(' usually means the parent
        // lost its ')': remembered (the first such) to point at it if the file ends unbalanced.
        if (!open.empty() && !suspect_.known() && n.loc.line != open.back().loc.line && n.loc.col <= open.back().loc.col &&
            starts_line(pos_)) {
          suspect_ = n.loc;
          suspect_parent_line_ = open.back().loc.line;
        }
        open.push_back(std::move(n));
        advance();
      } else if (c == ')') {
        if (open.empty()) {
          if (top) return trailing();
          diags_.error(here(), "unexpected ')': no '(' is open here");
          return std::nullopt;
        }
        Node done = std::move(open.back());
        open.pop_back();
        // A list on one line underlines all of itself in diagnostics.
        if (done.loc.line == line_) done.loc.length = col_ - done.loc.col + 1;
        advance();
        if (open.empty())
          top = std::move(done);
        else
          open.back().items.push_back(std::move(done));
      } else {
        if (top || open.empty()) return trailing();
        Node a;
        a.loc = here(token_length());
        const std::size_t n = token_length();
        check_printable(n);
        a.text.reserve(n);
        for (std::size_t i = 0; i < n; ++i) a.text += lower(text_[pos_ + i]);
        for (std::size_t i = 0; i < n; ++i) advance();
        open.back().items.push_back(std::move(a));
      }
    }
  }

 private:
  // Names are printable ASCII: a control byte (ESC, BEL, ...) in an action or object name would
  // reach the terminal raw in plans and messages. Reported at the byte; parsing goes on so that
  // every such name is reported, and then fails.
  void check_printable(std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
      const auto b = static_cast<unsigned char>(text_[pos_ + i]);
      if (b > 0x20 && b < 0x7f) continue;
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%02x", b);
      diags_.error(core::SourceLoc{file_, line_, col_ + static_cast<std::uint32_t>(i), 1},
                   std::string("byte ") + hex + (b < 0x80 ? " (a control character)" : " (not ASCII)") +
                       " in a name: PDDL names are printable ASCII")
          .hint("names are letters, digits and - _ ? : . and the like; remove or replace this byte");
      bad_name_ = true;
      return;
    }
  }

  std::optional<Node> trailing() {
    diags_.error(here(text_[pos_] == '(' || text_[pos_] == ')' ? 1 : token_length()),
                 "unexpected text after the closing ')' of '(define ...)'")
        .hint(text_[pos_] == ')' ? "this ')' has no matching '('" : "one file holds one '(define ...)'");
    return std::nullopt;
  }

  // True when only blanks precede byte `p` on its line.
  bool starts_line(std::size_t p) const {
    while (p > 0 && (text_[p - 1] == ' ' || text_[p - 1] == '\t')) --p;
    return p == 0 || text_[p - 1] == '\n';
  }

  void skip_blank() {
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (is_space(c)) {
        advance();
      } else if (c == ';') {
        while (pos_ < text_.size() && text_[pos_] != '\n') advance();
      } else {
        break;
      }
    }
  }

  std::size_t token_length() const {
    std::size_t n = 0;
    while (pos_ + n < text_.size()) {
      const char c = text_[pos_ + n];
      if (is_space(c) || c == '(' || c == ')' || c == ';') break;
      ++n;
    }
    return n == 0 ? 1 : n;
  }

  void advance() {
    if (text_[pos_] == '\n') {
      ++line_;
      col_ = 1;
    } else {
      ++col_;
    }
    ++pos_;
  }

  core::SourceLoc here(std::size_t length = 1) const {
    return core::SourceLoc{file_, line_, col_, static_cast<std::uint32_t>(length)};
  }

  std::uint32_t file_;
  std::string_view text_;
  core::Diagnostics& diags_;
  std::size_t pos_ = 0;
  std::uint32_t line_ = 1, col_ = 1;
  bool bad_name_ = false;    // an atom held a byte check_printable refused
  core::SourceLoc suspect_;  // the first list indented no deeper than its parent
  std::uint32_t suspect_parent_line_ = 0;
};

}  // namespace

std::optional<Node> parse_sexpr(std::uint32_t file, std::string_view text, core::Diagnostics& diags) {
  return Parser(file, text, diags).run();
}

}  // namespace goap::pddl
