#include "search/evaluation_helper.h"

#include <pthread.h>
#include <sched.h>

namespace goap::search {

namespace {

// One spin-wait step: tells the core that this is a busy loop (x86 PAUSE).
inline void relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

// Spins before sleeping on the futex (a few milliseconds): requests come every few
// microseconds in a search, and waking a sleeping thread takes longer than one evaluation.
constexpr int kSpins = 1 << 16;
// How long wait_done spins: a few evaluations' worth, when the helper is running.
constexpr int kWaitSpins = 20000;

// Keeps `thread` off the CPU the caller runs on, when the process may use another one.
void avoid_this_cpu(std::thread& thread) {
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  if (sched_getaffinity(0, sizeof allowed, &allowed) != 0) return;
  const int here = sched_getcpu();
  if (here < 0 || !CPU_ISSET(here, &allowed) || CPU_COUNT(&allowed) < 2) return;
  CPU_CLR(here, &allowed);
  // Best effort: on failure the scheduler places the thread.
  (void)pthread_setaffinity_np(thread.native_handle(), sizeof allowed, &allowed);
}

}  // namespace

void keep_successor_bounds(const Heuristic& heuristic, int h, const std::uint32_t* state,
                           const SuccessorGenerator& successors, const ground::Task& task,
                           std::vector<ground::OpId>& ops, std::vector<SuccessorBound>& out) {
  out.clear();
  if (h < 0 || h == Heuristic::kInfinity) return;
  successors.generate(state, ops);
  for (const ground::OpId op : ops) {
    const int cost = task.operators[op.index()].cost;
    const int b = heuristic.successor_bound(h, op, cost);
    if (b > 0 && b > h - cost) out.emplace_back(op, b);
  }
}

int evaluate_from_memo(Heuristic& heuristic, const std::uint32_t* state, const std::uint32_t* memo,
                       std::size_t size, ground::OpId op, int refresh_at, Refresh& refresh) {
  refresh = Refresh{};
  const int h = heuristic.evaluate_from(state, memo, size, op);
  refresh.before = h;
  if (h == Heuristic::kInfinity || h > refresh_at) return h;
  const int fresh = heuristic.refresh(state, h);
  refresh.tried = true;
  refresh.raised = fresh > h;
  return fresh;
}

int EvaluationHelper::available_cpus() {
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  if (sched_getaffinity(0, sizeof allowed, &allowed) != 0) return 1;
  return CPU_COUNT(&allowed);
}

EvaluationHelper::EvaluationHelper(Heuristic& heuristic, const SuccessorGenerator& successors,
                                   const ground::Task& task)
    : heuristic_(heuristic), successors_(successors), task_(task) {
  for (Slot& s : slots_) {
    s.values.resize(task.variables.size());
    s.ops.reserve(task.operators.size());
  }
  thread_ = std::thread([this] { run(); });
  avoid_this_cpu(thread_);
}

EvaluationHelper::~EvaluationHelper() {
  drain();
  stop_.store(true, std::memory_order_release);
  // Wake the helper if it sleeps on published_: a change of value wakes it, and it sees stop_.
  published_.fetch_add(1, std::memory_order_release);
  published_.notify_one();
  thread_.join();
}

void EvaluationHelper::post(std::uint32_t tag) {
  slots_[posted_ % kDepth].tag = tag;
  ++posted_;
  published_.store(posted_, std::memory_order_release);
  published_.notify_one();
}

bool EvaluationHelper::in_flight(std::uint32_t tag) const {
  for (std::uint64_t i = collected_; i != posted_; ++i)
    if (slots_[i % kDepth].tag == tag) return true;
  return false;
}

void EvaluationHelper::wait_done() const {
  for (int spins = 0; spins < kWaitSpins && !done(); ++spins) relax();
}

void EvaluationHelper::drain() noexcept {
  while (collected_ != posted_) {
    while (!done()) relax();
    pop();
  }
}

std::uint32_t* EvaluationHelper::next_values(bool keep_memo) {
  Slot& slot = slots_[posted_ % kDepth];
  slot.from_op = ground::OpId::invalid();
  slot.keep_memo = keep_memo;
  return slot.values.data();
}

void EvaluationHelper::next_from(std::uint32_t origin, const std::uint32_t* memo, std::size_t size,
                                 ground::OpId op, int refresh_at) {
  Slot& slot = slots_[posted_ % kDepth];
  slot.from_op = op;
  slot.origin = origin;
  slot.parent_memo.assign(memo, memo + size);
  slot.refresh_at = refresh_at;
}

void EvaluationHelper::evaluate(Slot& slot) {
  slot.bounds.clear();
  slot.memo.clear();
  slot.error = nullptr;
  slot.refresh = Refresh{};
  try {
    slot.h = slot.from_op.valid()
                 ? evaluate_from_memo(heuristic_, slot.values.data(), slot.parent_memo.data(),
                                      slot.parent_memo.size(), slot.from_op, slot.refresh_at, slot.refresh)
                 : heuristic_.evaluate(slot.values.data(), nullptr);
    // The successor bounds and the memo are the heuristic's to give only now, before its next
    // evaluation.
    keep_successor_bounds(heuristic_, slot.h, slot.values.data(), successors_, task_, slot.ops, slot.bounds);
    if (slot.keep_memo) heuristic_.save_memo(slot.memo);
  } catch (...) {
    slot.error = std::current_exception();
  }
}

void EvaluationHelper::run() {
  std::uint64_t next = 0;  // the next slot to evaluate
  for (;;) {
    std::uint64_t published = published_.load(std::memory_order_acquire);
    for (int spins = 0; published == next && !stop_.load(std::memory_order_acquire);
         published = published_.load(std::memory_order_acquire)) {
      if (spins < kSpins) {
        ++spins;
        relax();
      } else {
        published_.wait(published, std::memory_order_acquire);
      }
    }
    if (stop_.load(std::memory_order_acquire)) return;
    evaluate(slots_[next % kDepth]);
    ++next;
    finished_.store(next, std::memory_order_release);
  }
}

}  // namespace goap::search
