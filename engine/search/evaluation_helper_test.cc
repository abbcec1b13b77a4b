#include "search/evaluation_helper.h"

#include <doctest/doctest.h>

#include <stdexcept>
#include <vector>

#include "search/test_tasks.h"

namespace goap::search {
namespace {

// h = the number of switches still off; its successor bound keeps h for even operators (as if
// they sat in no landmark) and says h - cost for the others. Throws on the state with every
// switch on, to test error transport.
class OffCount final : public Heuristic {
 public:
  explicit OffCount(const ground::Task& t) : task_(t) {}
  int evaluate(const std::uint32_t* s, std::vector<ground::OpId>* preferred) override {
    if (preferred) preferred->clear();
    int off = 0;
    for (std::size_t v = 0; v < task_.variables.size(); ++v) off += s[v] == 0 ? 1 : 0;
    if (off == 0) throw std::runtime_error("all on");
    return off;
  }
  [[nodiscard]] bool admissible() const override { return true; }
  [[nodiscard]] std::string_view name() const override { return "off-count"; }
  [[nodiscard]] int successor_bound(int h, ground::OpId op, int cost) const override {
    return op.index() % 2 == 0 ? h : h - cost;
  }

 private:
  const ground::Task& task_;
};

void post(EvaluationHelper& helper, std::uint32_t tag, const std::vector<std::uint32_t>& state) {
  REQUIRE(!helper.full());
  std::copy(state.begin(), state.end(), helper.next_values());
  helper.post(tag);
}

const EvaluationHelper::Slot& wait_front(EvaluationHelper& helper) {
  while (!helper.done()) helper.wait_done();
  return helper.front();
}

TEST_CASE("the helper evaluates posted states in order and keeps the bounds above h - cost") {
  const ground::Task task = testing::switches_task(4);
  const SuccessorGenerator successors(task);
  OffCount h(task);
  EvaluationHelper helper(h, successors, task);
  REQUIRE(EvaluationHelper::kDepth >= 2);

  post(helper, 7, {0, 0, 0, 0});
  CHECK(helper.in_flight(7));
  post(helper, 9, {1, 0, 1, 1});
  CHECK(helper.full());
  CHECK(helper.outstanding() == 2);

  const EvaluationHelper::Slot& a = wait_front(helper);
  CHECK(a.tag == 7);
  CHECK(a.h == 4);
  CHECK(!a.error);
  // All four set-i apply; the even ones (set-0, set-2) keep h.
  using B = std::pair<ground::OpId, int>;
  CHECK(a.bounds == std::vector<B>{{ground::OpId::from(0), 4}, {ground::OpId::from(2), 4}});
  helper.pop();
  CHECK(!helper.in_flight(7));

  const EvaluationHelper::Slot& b = wait_front(helper);
  CHECK(b.tag == 9);
  CHECK(b.h == 1);
  CHECK(b.bounds.empty());  // only set-1 applies, an odd operator
  helper.pop();
  CHECK(helper.outstanding() == 0);
}

TEST_CASE("an exception in the helper's heuristic comes back with its slot") {
  const ground::Task task = testing::switches_task(3);
  const SuccessorGenerator successors(task);
  OffCount h(task);
  EvaluationHelper helper(h, successors, task);
  post(helper, 1, {1, 1, 1});
  post(helper, 2, {0, 1, 1});
  const EvaluationHelper::Slot& a = wait_front(helper);
  REQUIRE(a.error);
  CHECK_THROWS_WITH_AS(std::rethrow_exception(a.error), "all on", std::runtime_error);
  helper.pop();
  const EvaluationHelper::Slot& b = wait_front(helper);
  CHECK(!b.error);  // the helper goes on after an error
  CHECK(b.h == 1);
  helper.pop();
}

TEST_CASE("drain and destruction wait for outstanding work; slots are reused round the ring") {
  const ground::Task task = testing::switches_task(5);
  const SuccessorGenerator successors(task);
  OffCount h(task);
  {
    EvaluationHelper helper(h, successors, task);
    for (std::uint32_t round = 0; round < 10; ++round) {
      for (std::uint32_t i = 0; i < EvaluationHelper::kDepth; ++i)
        post(helper, round * 10 + i, {0, 0, 0, 0, i % 2});
      const EvaluationHelper::Slot& s = wait_front(helper);
      CHECK(s.tag == round * 10);
      CHECK(s.h == 5);
      helper.drain();
      CHECK(helper.outstanding() == 0);
    }
    post(helper, 99, {0, 1, 0, 1, 0});
  }  // destroyed with a request outstanding: must not hang or crash
  CHECK(EvaluationHelper::available_cpus() >= 1);
}

}  // namespace
}  // namespace goap::search
