#include "load/expr.h"

#include <algorithm>
#include <cctype>

namespace goap::load {

core::SourceLoc SourceText::at(std::uint32_t offset, std::uint32_t length) const {
  if (pieces.empty()) return {};
  // The last piece that starts at or before `offset`.
  auto it = std::upper_bound(pieces.begin(), pieces.end(), offset,
                             [](std::uint32_t o, const Piece& p) { return o < p.offset; });
  if (it != pieces.begin()) --it;
  if (!it->exact) return it->loc;
  const std::uint32_t rel = offset >= it->offset ? offset - it->offset : 0;
  // Never underline past the end of the piece: the rest may sit on another line.
  std::uint32_t piece_end = static_cast<std::uint32_t>(text.size());
  if (it + 1 != pieces.end()) piece_end = std::min(piece_end, (it + 1)->offset);
  const std::uint32_t room = piece_end > offset ? piece_end - offset : 1;
  return it->loc.shifted(rel, std::min(length == 0 ? 1 : length, room));
}

core::SourceLoc SourceText::whole() const {
  if (pieces.empty()) return {};
  core::SourceLoc l = pieces.front().loc;
  const std::uint32_t end = pieces.size() > 1 ? pieces[1].offset : static_cast<std::uint32_t>(text.size());
  l.length = std::max<std::uint32_t>(1, end);
  if (!pieces.front().exact) l.length = 1;
  return l;
}

void SourceText::rejoin(const SourceText& piece) {
  text += ", ";
  const auto base = static_cast<std::uint32_t>(text.size());
  text += piece.text;
  for (Piece p : piece.pieces) {
    p.offset += base;
    pieces.push_back(p);
  }
}

bool Expr::operand_is_int() const {
  if (operand.empty()) return false;
  std::size_t i = operand[0] == '-' ? 1 : 0;
  if (i == operand.size()) return false;
  for (; i < operand.size(); ++i)
    if (!std::isdigit(static_cast<unsigned char>(operand[i]))) return false;
  return true;
}

const char* op_text(ExprOp op) {
  switch (op) {
    case ExprOp::none: return "";
    case ExprOp::eq: return "=";
    case ExprOp::ne: return "!=";
    case ExprOp::lt: return "<";
    case ExprOp::le: return "<=";
    case ExprOp::gt: return ">";
    case ExprOp::ge: return ">=";
    case ExprOp::add: return "+=";
    case ExprOp::sub: return "-=";
  }
  return "";
}

namespace {

bool name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
         c == '.';
}

class Parser {
 public:
  explicit Parser(std::string_view s) : s_(s) {}

  std::variant<Expr, ExprError> run() {
    Expr e;
    skip_ws();
    if (at_end()) return fail(0, std::max<std::uint32_t>(1, size()), "empty expression", "write a fact, e.g. 'reachable($h)'");
    if (peek() == '!' && peek(1) != '=') return fail(pos_, 1, "'!' is not an operator here", "write 'not f(...)' for a false bool fact");
    // `not` followed by a space is the negation; a fact may still be called `not_x` or `nothing`.
    // A bare `not` is a negation missing its fact, not a fact called "not".
    if (s_.substr(pos_, 3) == "not" && (pos_ + 3 == s_.size() || s_[pos_ + 3] == ' ' || s_[pos_ + 3] == '\t')) {
      e.negated = true;
      e.not_span = {pos_, 3};
      pos_ += 3;
      skip_ws();
      if (at_end()) return fail(e.not_span.offset, 3, "'not' needs a fact after it", "");
    }
    if (auto err = read_name(e.fact, e.fact_span, "a fact name")) return *err;
    skip_ws();
    if (!at_end() && peek() == '(') {
      const std::uint32_t open = pos_;
      e.has_parens = true;
      ++pos_;
      skip_ws();
      if (!at_end() && peek() == ')') {
        ++pos_;
      } else {
        for (;;) {
          skip_ws();
          if (at_end()) return fail(open, 1, "this '(' is never closed", "add ')' after the last argument of '" + e.fact + "'");
          ExprArg a;
          const std::uint32_t start = pos_;
          if (peek() == '?') return fail(pos_, 1, "parameters are written with '$', not '?'", "write '$" + std::string(word_after(pos_ + 1)) + "'");
          if (peek() == '$') {
            a.is_param = true;
            ++pos_;
          }
          std::string nm;
          Span sp;
          if (auto err = read_name(nm, sp, a.is_param ? "a parameter name after '$'" : "an argument")) return *err;
          a.name = nm;
          a.span = {start, pos_ - start};
          e.args.push_back(std::move(a));
          skip_ws();
          if (at_end()) return fail(open, 1, "this '(' is never closed", "add ')' after the last argument of '" + e.fact + "'");
          if (peek() == ',') {
            ++pos_;
            continue;
          }
          if (peek() == ')') {
            ++pos_;
            break;
          }
          if (peek() == '(' && !closed_later(open))
            // `[link($a, $b, up($a)]`: the flow list rejoined items up to the end and the first
            // '(' still has no partner; that, not the nested '(', is the mistake.
            return fail(open, 1, "this '(' is never closed", "add ')' after the last argument of '" + e.fact + "'");
          if (peek() == '(') return fail(pos_, 1, "facts do not nest: an argument is an object name or a $parameter", "");
          return fail(pos_, 1, std::string("expected ',' or ')' but found '") + peek() + "'", "");
        }
      }
      skip_ws();
    }
    if (at_end()) return e;
    if (at_for()) return read_for(e);
    // Operator.
    const std::uint32_t op_start = pos_;
    const char c0 = peek(), c1 = peek(1);
    auto two = [&](ExprOp op) { e.op = op; pos_ += 2; };
    auto one = [&](ExprOp op) { e.op = op; pos_ += 1; };
    if (c0 == '=' && c1 == '=') two(ExprOp::eq);
    else if (c0 == '!' && c1 == '=') two(ExprOp::ne);
    else if (c0 == '<' && c1 == '=') two(ExprOp::le);
    else if (c0 == '>' && c1 == '=') two(ExprOp::ge);
    else if (c0 == '+' && c1 == '=') two(ExprOp::add);
    else if (c0 == '-' && c1 == '=') two(ExprOp::sub);
    else if (c0 == '=') one(ExprOp::eq);
    else if (c0 == '<') one(ExprOp::lt);
    else if (c0 == '>') one(ExprOp::gt);
    else if (c0 == '(' || c0 == ')' || c0 == ',')
      return fail(pos_, 1, std::string("unexpected '") + c0 + "'", "");
    else
      return fail(pos_, static_cast<std::uint32_t>(word_after(pos_).size() ? word_after(pos_).size() : 1),
                  "unexpected '" + std::string(word_after(pos_).size() ? word_after(pos_) : s_.substr(pos_, 1)) +
                      "' after " + (e.has_parens ? "')'" : "'" + e.fact + "'"),
                  "conditions look like 'f(a)', 'not f(a)', 'f(a) = v' or 'n < 3'");
    e.op_span = {op_start, pos_ - op_start};
    skip_ws();
    if (at_end()) return fail(op_start, e.op_span.length, std::string("'") + op_text(e.op) + "' needs a value after it", "");
    const std::uint32_t v_start = pos_;
    if (peek() == '-' || peek() == '+') ++pos_;
    while (!at_end() && name_char(peek())) ++pos_;
    if (pos_ == v_start || (pos_ == v_start + 1 && (s_[v_start] == '-' || s_[v_start] == '+')))
      return fail(v_start, 1, std::string("expected a value after '") + op_text(e.op) + "'", "");
    e.operand = std::string(s_.substr(v_start, pos_ - v_start));
    if (e.operand[0] == '+') e.operand.erase(0, 1);
    e.operand_span = {v_start, pos_ - v_start};
    skip_ws();
    if (at_for()) return read_for(e);
    if (!at_end()) {
      const auto w = word_after(pos_);
      return fail(pos_, static_cast<std::uint32_t>(w.empty() ? 1 : w.size()),
                  "unexpected '" + std::string(w.empty() ? s_.substr(pos_, 1) : w) + "' after the value", "");
    }
    return e;
  }

 private:
  // `for` as a word of its own (a fact may still be called `for_x`).
  [[nodiscard]] bool at_for() const {
    return s_.substr(pos_, 3) == "for" && (pos_ + 3 == s_.size() || s_[pos_ + 3] == ' ' || s_[pos_ + 3] == '\t');
  }

  // `for 10m` ends the expression: the duration is one word, checked by resolve.h.
  std::variant<Expr, ExprError> read_for(Expr& e) {
    const std::uint32_t start = pos_;
    pos_ += 3;
    skip_ws();
    if (at_end()) return fail(start, 3, "'for' needs a duration after it", "write e.g. 'for 10m' (s, m, h or d)");
    const std::uint32_t d_start = pos_;
    while (!at_end() && peek() != ' ' && peek() != '\t') ++pos_;
    e.duration = std::string(s_.substr(d_start, pos_ - d_start));
    e.duration_span = {d_start, pos_ - d_start};
    e.for_span = {start, pos_ - start};
    skip_ws();
    if (!at_end()) {
      const auto w = word_after(pos_);
      return fail(pos_, static_cast<std::uint32_t>(w.empty() ? 1 : w.size()),
                  "unexpected '" + std::string(w.empty() ? s_.substr(pos_, 1) : w) + "' after the duration", "");
    }
    return e;
  }

  std::optional<ExprError> read_name(std::string& out, Span& span, const char* what) {
    const std::uint32_t start = pos_;
    while (!at_end() && name_char(peek())) ++pos_;
    if (pos_ == start) {
      if (at_end()) return ExprError{{start > 0 ? start - 1 : 0, 1}, std::string("expected ") + what, ""};
      return ExprError{{start, 1}, std::string("expected ") + what + " but found '" + std::string(1, peek()) + "'", ""};
    }
    out = std::string(s_.substr(start, pos_ - start));
    span = {start, pos_ - start};
    return std::nullopt;
  }

  // Whether the '(' at `open` has a matching ')' anywhere in the text.
  [[nodiscard]] bool closed_later(std::uint32_t open) const {
    int depth = 0;
    for (std::size_t i = open; i < s_.size(); ++i) {
      depth += s_[i] == '(' ? 1 : s_[i] == ')' ? -1 : 0;
      if (depth == 0) return true;
    }
    return false;
  }

  std::string_view word_after(std::uint32_t p) const {
    std::uint32_t q = p;
    while (q < s_.size() && name_char(s_[q])) ++q;
    return s_.substr(p, q - p);
  }

  ExprError fail(std::uint32_t off, std::uint32_t len, std::string msg, std::string hint) const {
    return ExprError{{off, len}, std::move(msg), std::move(hint)};
  }
  void skip_ws() {
    while (!at_end() && (peek() == ' ' || peek() == '\t')) ++pos_;
  }
  [[nodiscard]] bool at_end() const { return pos_ >= s_.size(); }
  [[nodiscard]] char peek(std::uint32_t ahead = 0) const { return pos_ + ahead < s_.size() ? s_[pos_ + ahead] : '\0'; }
  [[nodiscard]] std::uint32_t size() const { return static_cast<std::uint32_t>(s_.size()); }

  std::string_view s_;
  std::uint32_t pos_ = 0;
};

}  // namespace

std::variant<Expr, ExprError> parse_expr(std::string_view text) { return Parser(text).run(); }

}  // namespace goap::load
