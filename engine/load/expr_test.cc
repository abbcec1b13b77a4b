// The expression language of FORMAT.md section 3 as syntax: what each piece is, and the byte
// offsets that later become the columns of carets. An offset off by one is a caret under the
// wrong character, which is exactly what these tests would catch.
#include "load/expr.h"

#include <doctest/doctest.h>

#include <string>

using namespace goap::load;

namespace {

Expr ok(std::string_view text) {
  auto r = parse_expr(text);
  if (auto* err = std::get_if<ExprError>(&r)) FAIL_CHECK("'" << text << "' failed: " << err->message);
  REQUIRE(std::holds_alternative<Expr>(r));
  return std::get<Expr>(r);
}

ExprError bad(std::string_view text) {
  auto r = parse_expr(text);
  REQUIRE_MESSAGE(std::holds_alternative<ExprError>(r), "'" << text << "' parsed but should not");
  return std::get<ExprError>(r);
}

// The text a span covers, to assert offsets readably.
std::string_view cut(std::string_view text, Span s) { return text.substr(s.offset, s.length); }

}  // namespace

TEST_CASE("a bool fact with a parameter: names, sigil and offsets") {
  const std::string_view t = "reachable($h)";
  const Expr e = ok(t);
  CHECK_FALSE(e.negated);
  CHECK(e.fact == "reachable");
  CHECK(cut(t, e.fact_span) == "reachable");
  CHECK(e.has_parens);
  REQUIRE(e.args.size() == 1);
  CHECK(e.args[0].name == "h");
  CHECK(e.args[0].is_param);
  CHECK(cut(t, e.args[0].span) == "$h");  // the span includes the '$'
  CHECK(e.op == ExprOp::none);
}

TEST_CASE("'not' with objects, spaces kept out of the spans") {
  const std::string_view t = "not   link( web-1 ,db_2 )";
  const Expr e = ok(t);
  CHECK(e.negated);
  CHECK(cut(t, e.not_span) == "not");
  CHECK(cut(t, e.fact_span) == "link");
  REQUIRE(e.args.size() == 2);
  CHECK(cut(t, e.args[0].span) == "web-1");
  CHECK_FALSE(e.args[0].is_param);
  CHECK(cut(t, e.args[1].span) == "db_2");
}

TEST_CASE("a fact named like the keyword is still a fact") {
  CHECK(ok("nothing").fact == "nothing");
  CHECK_FALSE(ok("not_ready").negated);
  CHECK(ok("not nothing").negated);
}

TEST_CASE("a fact without parameters, with and without empty parentheses") {
  const Expr bare = ok("maintenance");
  CHECK_FALSE(bare.has_parens);
  CHECK(bare.args.empty());
  const Expr empty = ok("maintenance( )");
  CHECK(empty.has_parens);
  CHECK(empty.args.empty());
}

TEST_CASE("every operator, with its spelling and the operand's offsets") {
  struct Row {
    const char* text;
    ExprOp op;
    const char* shown;
  };
  const Row rows[] = {
      {"n = 3", ExprOp::eq, "="},   {"n == 3", ExprOp::eq, "="},  {"n != 3", ExprOp::ne, "!="},
      {"n < 3", ExprOp::lt, "<"},   {"n <= 3", ExprOp::le, "<="}, {"n > 3", ExprOp::gt, ">"},
      {"n >= 3", ExprOp::ge, ">="}, {"n += 3", ExprOp::add, "+="}, {"n -= 3", ExprOp::sub, "-="},
  };
  for (const Row& r : rows) {
    CAPTURE(r.text);
    const std::string_view t = r.text;
    const Expr e = ok(t);
    CHECK(e.op == r.op);
    CHECK(std::string(op_text(e.op)) == r.shown);
    CHECK(cut(t, e.op_span) == t.substr(2, t.size() - 4));  // the operator as written
    CHECK(e.operand == "3");
    CHECK(cut(t, e.operand_span) == "3");
    CHECK(e.operand_is_int());
  }
}

TEST_CASE("operands: negative and signed numbers, enum names, no space needed") {
  const Expr neg = ok("temperature=-5");
  CHECK(neg.op == ExprOp::eq);
  CHECK(neg.operand == "-5");
  CHECK(neg.operand_is_int());

  const std::string_view t = "restarts(h1) < +2";
  const Expr plus = ok(t);
  CHECK(plus.operand == "2");                     // the '+' is dropped from the value...
  CHECK(cut(t, plus.operand_span) == "+2");       // ...but the caret still covers it
  CHECK(plus.args.size() == 1);

  const Expr name = ok("llm_provider = kimi");
  CHECK(name.operand == "kimi");
  CHECK_FALSE(name.operand_is_int());
  CHECK_FALSE(ok("n = 3x").operand_is_int());
}

TEST_CASE("syntax errors: message, hint and the exact span of the mistake") {
  SUBCASE("empty") {
    const auto e = bad("   ");
    CHECK(e.message == "empty expression");
    CHECK(e.hint == "write a fact, e.g. 'reachable($h)'");
  }
  SUBCASE("'!' instead of 'not'") {
    const auto e = bad("!up");
    CHECK(e.message == "'!' is not an operator here");
    CHECK(e.span.offset == 0);
  }
  SUBCASE("'not' alone, with or without a trailing space") {
    CHECK(bad("not").message == "'not' needs a fact after it");
    CHECK(bad("not  ").message == "'not' needs a fact after it");
    CHECK(bad("not").span.length == 3);
  }
  SUBCASE("'?' instead of '$'") {
    const std::string_view t = "up(a, ?host)";
    const auto e = bad(t);
    CHECK(e.message == "parameters are written with '$', not '?'");
    CHECK(e.hint == "write '$host'");
    CHECK(cut(t, e.span) == "?");
    CHECK(e.span.offset == 6);
  }
  SUBCASE("a '(' that never closes points at the '('") {
    const std::string_view t = "link($a, $b";
    const auto e = bad(t);
    CHECK(e.message == "this '(' is never closed");
    CHECK(e.hint == "add ')' after the last argument of 'link'");
    CHECK(e.span.offset == 4);
  }
  SUBCASE("a flow list rejoined past the item: the unclosed '(' is named, not the next one") {
    const auto e = bad("link($a, $b, up($a)");
    CHECK(e.message == "this '(' is never closed");
    CHECK(e.span.offset == 4);
  }
  SUBCASE("a closed nested call: facts do not nest") {
    const std::string_view t = "link($a, up($b))";
    const auto e = bad(t);
    CHECK(e.message == "facts do not nest: an argument is an object name or a $parameter");
    CHECK(e.span.offset == 11);
  }
  SUBCASE("two arguments without a comma") {
    const std::string_view t = "link(a b)";
    const auto e = bad(t);
    CHECK(e.message == "expected ',' or ')' but found 'b'");
    CHECK(e.span.offset == 7);
  }
  SUBCASE("two facts in one item") {
    const std::string_view t = "up(a) up(b)";
    const auto e = bad(t);
    CHECK(e.message == "unexpected 'up' after ')'");
    CHECK(cut(t, e.span) == "up");
    CHECK(e.hint == "conditions look like 'f(a)', 'not f(a)', 'f(a) = v' or 'n < 3'");
  }
  SUBCASE("an operator without a value") {
    const std::string_view t = "restarts +=  ";
    const auto e = bad(t);
    CHECK(e.message == "'+=' needs a value after it");
    CHECK(cut(t, e.span) == "+=");
    CHECK(bad("n = -").message == "expected a value after '='");
  }
  SUBCASE("text after the value") {
    const std::string_view t = "llm_provider = kimi now";
    const auto e = bad(t);
    CHECK(e.message == "unexpected 'now' after the value");
    CHECK(cut(t, e.span) == "now");
  }
  SUBCASE("a stray parenthesis after a bare fact") {
    CHECK(bad("up)").message == "unexpected ')'");
    CHECK(bad("n = 3,").message == "unexpected ',' after the value");
  }
  SUBCASE("an argument that is not a name") {
    const auto e = bad("up(\"a\")");
    CHECK(e.message == "expected an argument but found '\"'");
    CHECK(e.span.offset == 3);
    CHECK(bad("up($)").message == "expected a parameter name after '$' but found ')'");
  }
}

TEST_CASE("SourceText maps offsets to file columns piece by piece") {
  using goap::core::SourceLoc;
  // `[link(a, bb), up]` in a flow list at line 4: YAML gives `link(a` at column 10 and `bb)`
  // at column 18; the loader joins them as "link(a, bb)".
  SourceText st;
  st.text = "link(a, bb)";
  st.pieces.push_back({0, SourceLoc{0, 4, 10, 1}, true});
  st.pieces.push_back({8, SourceLoc{0, 4, 18, 1}, true});

  const SourceLoc fact = st.at(0, 4);
  CHECK(fact.line == 4);
  CHECK(fact.col == 10);
  CHECK(fact.length == 4);

  const SourceLoc second = st.at(8, 2);  // "bb" lives in the second piece
  CHECK(second.col == 18);
  CHECK(second.length == 2);

  // An underline never runs from one piece into the next (they may be on different lines).
  CHECK(st.at(5, 100).length == 3);  // "a, " up to where the next piece starts

  // The whole item underlines only its first piece.
  CHECK(st.whole().col == 10);
  CHECK(st.whole().length == 8);

  // A piece with escapes or folding can't map inner offsets: everything points at its start.
  SourceText folded;
  folded.text = "up(a)";
  folded.pieces.push_back({0, SourceLoc{0, 2, 7, 1}, false});
  CHECK(folded.at(3, 1).col == 7);
  CHECK(folded.whole().length == 1);
}
