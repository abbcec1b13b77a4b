// Happens-before edges that ThreadSanitizer cannot see for itself, declared where TBB makes them.
//
// Debian's libtbb.so.12 is not instrumented: when it hands a task to a worker, runs a serial
// pipeline stage on another thread, or returns from parallel_for once every body is done, the
// ordering it guarantees happens inside code TSan never sees. TSan then reports goap's own
// accesses on either side as races although TBB orders them. Each helper below states one such
// guarantee at the point TBB provides it: `tsan_release(p)` where work is handed over,
// `tsan_acquire(p)` where it is picked up, with the same address on both sides. The addresses
// are only names; nothing is read or written through them.
//
// Outside a -fsanitize=thread build they are empty inline functions. tools/tsan.supp hides the
// rest (races inside TBB's own header code), never a race whose top frame is goap's.
#pragma once

#if defined(__SANITIZE_THREAD__)
#define GOAP_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define GOAP_TSAN 1
#endif
#endif

#ifdef GOAP_TSAN
extern "C" {
void __tsan_acquire(void* addr);
void __tsan_release(void* addr);
}
#endif

namespace goap::core {

#ifdef GOAP_TSAN
inline void tsan_acquire(const void* p) { __tsan_acquire(const_cast<void*>(p)); }
inline void tsan_release(const void* p) { __tsan_release(const_cast<void*>(p)); }
#else
inline void tsan_acquire(const void*) {}
inline void tsan_release(const void*) {}
#endif

}  // namespace goap::core
