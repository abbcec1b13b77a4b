#include "pddl/sexpr.h"

#include <doctest/doctest.h>

namespace goap::pddl {
namespace {

std::optional<Node> parse(std::string_view text, core::Diagnostics& diags) { return parse_sexpr(0, text, diags); }

TEST_CASE("sexpr: a control or non-ASCII byte in a name is a located error; comments may hold any text") {
  core::Diagnostics diags;
  auto n = parse("; caf\xc3\xa9 \x1b ok in a comment\n(define (domain d)\n  (:action pick\x1b[31m\x07 :parameters ()))\n"
                 "; and (x\x1by) here too", diags);
  CHECK(!n);
  REQUIRE(diags.error_count() == 1);
  const core::Diagnostic& d = diags.all().front();
  CHECK(d.message == "byte 0x1b (a control character) in a name: PDDL names are printable ASCII");
  CHECK(d.loc.line == 3);
  CHECK(d.loc.col == 16);  // the ESC after "pick"
  core::Diagnostics more;
  CHECK(!parse("(define (domain caf\xc3\xa9) (x\x7f))", more));
  REQUIRE(more.error_count() == 2);  // every bad name is reported
  CHECK(more.all()[0].message == "byte 0xc3 (not ASCII) in a name: PDDL names are printable ASCII");
  CHECK(more.all()[1].message == "byte 0x7f (a control character) in a name: PDDL names are printable ASCII");
  core::Diagnostics none;
  CHECK(parse("(define (domain d) ; \x1b\x07 caf\xc3\xa9\n (x))", none));
  CHECK(!none.has_errors());
}

TEST_CASE("sexpr: nested lists, lower-cased atoms, comments, locations") {
  core::Diagnostics diags;
  auto n = parse("; header\n(Define (DOMAIN Blocks) ; trailing\n  (:action Pick-Up ?X))", diags);
  REQUIRE(n);
  CHECK(!diags.has_errors());
  CHECK(n->is_form("define"));
  REQUIRE(n->items.size() == 3);
  CHECK(n->items[1].head() == "domain");
  CHECK(n->items[1].items[1].text == "blocks");
  const Node& action = n->items[2];
  CHECK(action.items[1].text == "pick-up");
  CHECK(action.items[2].text == "?x");
  // Atoms carry line, column and length; a list on one line underlines all of itself.
  CHECK(action.items[1].loc.line == 3);
  CHECK(action.items[1].loc.col == 12);
  CHECK(action.items[1].loc.length == 7);
  CHECK(action.loc.col == 3);
  CHECK(action.loc.length == 20);
  CHECK(n->loc.length == 1);  // spans lines: the '(' alone
}

TEST_CASE("sexpr: the innermost unclosed list is reported") {
  core::Diagnostics diags;
  CHECK(!parse("(define (domain d)\n  (:action a\n  (:action b))", diags));
  REQUIRE(diags.all().size() == 1);
  CHECK(diags.all()[0].message == "this '(' is never closed");
  CHECK(diags.all()[0].loc.line == 1);
  CHECK(diags.all()[0].loc.col == 1);
  core::Diagnostics d2;
  CHECK(!parse("(define (domain d)\n  (:action a (and (p)\n  )\n  (:action b)", d2));
  REQUIRE(d2.all().size() == 1);
  CHECK(d2.all()[0].loc.line == 2);
  CHECK(d2.all()[0].loc.col == 3);
}

TEST_CASE("sexpr: stray ')', trailing text, empty input, deep nesting") {
  core::Diagnostics a;
  CHECK(!parse("(define (domain d)))", a));
  CHECK(a.all().at(0).message == "unexpected text after the closing ')' of '(define ...)'");
  CHECK(a.all().at(0).loc.col == 20);
  core::Diagnostics b;
  CHECK(!parse("  ; nothing\n", b));
  CHECK(b.all().at(0).message == "the file is empty: expected '(define ...)'");
  core::Diagnostics c;
  CHECK(!parse("define", c));
  CHECK(c.all().at(0).loc.length == 6);
  core::Diagnostics d;
  CHECK(!parse(std::string(100000, '('), d));
  CHECK(d.all().at(0).message.find("nested more than") != std::string::npos);
}

}  // namespace
}  // namespace goap::pddl
