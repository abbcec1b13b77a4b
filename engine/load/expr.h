// The condition / effect / state-line expression language of FORMAT.md section 3, as syntax.
//
//   expr    := ['not'] name ['(' [arg {',' arg}] ')'] [op operand] ['for' duration]
//   arg     := '$' name | name
//   op      := '=' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '+=' | '-='
//   operand := ['-'] digits | name
//
// This layer knows nothing about declarations: it only splits the text and remembers the byte
// offset of every piece, so that resolve.h can point a caret at the exact column of a mistake.
// `SourceText` carries a YAML string together with the map from its bytes back to file positions
// (a flow-list item rejoined from several YAML items has one piece per item).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/diag.h"

namespace goap::load {

struct SourceText {
  std::string text;
  struct Piece {
    std::uint32_t offset = 0;  // first byte of this piece in `text`
    core::SourceLoc loc;       // where that byte is in the file
    bool exact = true;         // false: offsets inside the piece can't be mapped (escapes, folding)
  };
  std::vector<Piece> pieces;

  // The file location of text[offset], underlining `length` bytes.
  [[nodiscard]] core::SourceLoc at(std::uint32_t offset, std::uint32_t length = 1) const;
  [[nodiscard]] core::SourceLoc whole() const;
  // Appends ", " and `piece`, keeping where each of its bytes came from: a flow sequence or
  // mapping split `f(a, b)` at the comma, and this puts it back together.
  void rejoin(const SourceText& piece);
};

enum class ExprOp : std::uint8_t { none, eq, ne, lt, le, gt, ge, add, sub };

struct Span {
  std::uint32_t offset = 0;
  std::uint32_t length = 0;
};

struct ExprArg {
  std::string name;
  bool is_param = false;  // written with `$`
  Span span;              // includes the `$`
};

struct Expr {
  bool negated = false;
  Span not_span;
  std::string fact;
  Span fact_span;
  bool has_parens = false;
  std::vector<ExprArg> args;
  ExprOp op = ExprOp::none;
  Span op_span;
  std::string operand;  // as written: "3", "-1", "kimi"
  Span operand_span;
  std::string duration;  // after `for`, as written: "10m"; empty without `for`
  Span for_span;         // the word `for` and its duration
  Span duration_span;
  [[nodiscard]] bool operand_is_int() const;
};

struct ExprError {
  Span span;
  std::string message;
  std::string hint;
};

std::variant<Expr, ExprError> parse_expr(std::string_view text);

const char* op_text(ExprOp op);

}  // namespace goap::load
