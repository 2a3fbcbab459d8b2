// Tells ThreadSanitizer what Abseil's synchronization primitives do.
//
// Debian's Abseil is not built with ThreadSanitizer, so absl::Mutex,
// absl::CondVar and absl::Notification synchronize through atomics and futex
// calls that TSan never sees: every access to data guarded by an absl::Mutex
// from two threads would be reported as a race. An instrumented Abseil issues
// TSan's mutex annotations (__tsan_mutex_pre_lock, ...) from inside these
// functions; this file issues the same annotations around them instead. A
// RENKEI_TSAN build links it into every binary and redirects each call Renkei
// code makes to one of the functions below to its __wrap_ twin
// (-Wl,--wrap=<symbol>, see RENKEI_TSAN_ABSL_WRAPPED in the top-level
// CMakeLists.txt), which calls the real one (__real_<symbol>).
//
// Every annotated critical section lies inside the real one: a lock is
// annotated after the real lock returns, an unlock before the real unlock
// starts, so TSan's view of who holds a mutex is never wrong. While a call
// may run Abseil's internals or an absl::Condition (in LockWhen, Await, a
// CondVar wait, or an Unlock that evaluates waiters' conditions), TSan
// ignores the thread's accesses (pre_lock/pre_unlock begin that, post_lock
// and post_unlock end it): a condition only reads state under the mutex.
//
// Only calls from Renkei's own (instrumented) code are redirected; Abseil,
// gRPC and RocksDB calling these functions internally are not instrumented
// anyway.
#include <sanitizer/tsan_interface.h>

#include <type_traits>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"

// The mangled names below are those of Debian 12's Abseil (inline namespace
// absl::debian3); another Abseil needs them changed here and in
// CMakeLists.txt.
static_assert(std::is_same_v<absl::Mutex, absl::debian3::Mutex>,
              "tests/tsan/absl_sync_annotations.cc names absl::debian3");

using absl::Condition;
using absl::CondVar;
using absl::Duration;
using absl::Mutex;
using absl::Notification;
using absl::ReleasableMutexLock;
using absl::Time;

namespace {

constexpr unsigned kRead = __tsan_mutex_read_lock;

void Locked(Mutex* mu, unsigned flags) { __tsan_mutex_post_lock(mu, flags, 0); }

}  // namespace

// Each member function is declared as a free function of the same mangled
// name taking `this` first (the Itanium C++ ABI passes it that way).
#define RENKEI_WRAP(ret, sym, ...) \
  ret __real_##sym(__VA_ARGS__);   \
  ret __wrap_##sym(__VA_ARGS__)

extern "C" {

// Mutex::Lock, Unlock, TryLock.
RENKEI_WRAP(void, _ZN4absl7debian35Mutex4LockEv, Mutex* mu) {
  __tsan_mutex_pre_lock(mu, 0);
  __real__ZN4absl7debian35Mutex4LockEv(mu);
  Locked(mu, 0);
}
RENKEI_WRAP(void, _ZN4absl7debian35Mutex6UnlockEv, Mutex* mu) {
  __tsan_mutex_pre_unlock(mu, 0);
  __real__ZN4absl7debian35Mutex6UnlockEv(mu);
  __tsan_mutex_post_unlock(mu, 0);
}
RENKEI_WRAP(bool, _ZN4absl7debian35Mutex7TryLockEv, Mutex* mu) {
  __tsan_mutex_pre_lock(mu, __tsan_mutex_try_lock);
  bool locked = __real__ZN4absl7debian35Mutex7TryLockEv(mu);
  __tsan_mutex_post_lock(
      mu, __tsan_mutex_try_lock | (locked ? 0 : __tsan_mutex_try_lock_failed),
      0);
  return locked;
}

// Mutex::ReaderLock, ReaderUnlock, ReaderTryLock.
RENKEI_WRAP(void, _ZN4absl7debian35Mutex10ReaderLockEv, Mutex* mu) {
  __tsan_mutex_pre_lock(mu, kRead);
  __real__ZN4absl7debian35Mutex10ReaderLockEv(mu);
  Locked(mu, kRead);
}
RENKEI_WRAP(void, _ZN4absl7debian35Mutex12ReaderUnlockEv, Mutex* mu) {
  __tsan_mutex_pre_unlock(mu, kRead);
  __real__ZN4absl7debian35Mutex12ReaderUnlockEv(mu);
  __tsan_mutex_post_unlock(mu, kRead);
}
RENKEI_WRAP(bool, _ZN4absl7debian35Mutex13ReaderTryLockEv, Mutex* mu) {
  __tsan_mutex_pre_lock(mu, kRead | __tsan_mutex_try_lock);
  bool locked = __real__ZN4absl7debian35Mutex13ReaderTryLockEv(mu);
  __tsan_mutex_post_lock(mu,
                         kRead | __tsan_mutex_try_lock |
                             (locked ? 0 : __tsan_mutex_try_lock_failed),
                         0);
  return locked;
}

// Mutex::LockWhen and its timed and reader forms: a lock whose wait may run
// the condition (ignored accesses until post_lock).
RENKEI_WRAP(void, _ZN4absl7debian35Mutex8LockWhenERKNS0_9ConditionE, Mutex* mu,
            const Condition* cond) {
  __tsan_mutex_pre_lock(mu, 0);
  __real__ZN4absl7debian35Mutex8LockWhenERKNS0_9ConditionE(mu, cond);
  Locked(mu, 0);
}
RENKEI_WRAP(
    bool,
    _ZN4absl7debian35Mutex19LockWhenWithTimeoutERKNS0_9ConditionENS0_8DurationE,
    Mutex* mu, const Condition* cond, Duration timeout) {
  __tsan_mutex_pre_lock(mu, 0);
  bool met =
      __real__ZN4absl7debian35Mutex19LockWhenWithTimeoutERKNS0_9ConditionENS0_8DurationE(
          mu, cond, timeout);
  Locked(mu, 0);
  return met;
}
RENKEI_WRAP(
    bool,
    _ZN4absl7debian35Mutex20LockWhenWithDeadlineERKNS0_9ConditionENS0_4TimeE,
    Mutex* mu, const Condition* cond, Time deadline) {
  __tsan_mutex_pre_lock(mu, 0);
  bool met =
      __real__ZN4absl7debian35Mutex20LockWhenWithDeadlineERKNS0_9ConditionENS0_4TimeE(
          mu, cond, deadline);
  Locked(mu, 0);
  return met;
}
RENKEI_WRAP(void, _ZN4absl7debian35Mutex14ReaderLockWhenERKNS0_9ConditionE,
            Mutex* mu, const Condition* cond) {
  __tsan_mutex_pre_lock(mu, kRead);
  __real__ZN4absl7debian35Mutex14ReaderLockWhenERKNS0_9ConditionE(mu, cond);
  Locked(mu, kRead);
}

// Mutex::Await and its timed forms, and CondVar::Wait and its timed forms:
// called with the mutex held (exclusively: Renkei never waits in reader
// mode), they release it, wait and take it again. Annotated as an unlock
// before and a lock after, with the thread's accesses ignored in between.
#define RENKEI_RELOCK(mu, call)    \
  __tsan_mutex_pre_unlock(mu, 0);  \
  auto result = call;              \
  __tsan_mutex_post_unlock(mu, 0); \
  __tsan_mutex_pre_lock(mu, 0);    \
  Locked(mu, 0);                   \
  return result

RENKEI_WRAP(void, _ZN4absl7debian35Mutex5AwaitERKNS0_9ConditionE, Mutex* mu,
            const Condition* cond) {
  __tsan_mutex_pre_unlock(mu, 0);
  __real__ZN4absl7debian35Mutex5AwaitERKNS0_9ConditionE(mu, cond);
  __tsan_mutex_post_unlock(mu, 0);
  __tsan_mutex_pre_lock(mu, 0);
  Locked(mu, 0);
}
RENKEI_WRAP(
    bool,
    _ZN4absl7debian35Mutex16AwaitWithTimeoutERKNS0_9ConditionENS0_8DurationE,
    Mutex* mu, const Condition* cond, Duration timeout) {
  RENKEI_RELOCK(
      mu,
      __real__ZN4absl7debian35Mutex16AwaitWithTimeoutERKNS0_9ConditionENS0_8DurationE(
          mu, cond, timeout));
}
RENKEI_WRAP(
    bool, _ZN4absl7debian35Mutex17AwaitWithDeadlineERKNS0_9ConditionENS0_4TimeE,
    Mutex* mu, const Condition* cond, Time deadline) {
  RENKEI_RELOCK(
      mu,
      __real__ZN4absl7debian35Mutex17AwaitWithDeadlineERKNS0_9ConditionENS0_4TimeE(
          mu, cond, deadline));
}
RENKEI_WRAP(void, _ZN4absl7debian37CondVar4WaitEPNS0_5MutexE, CondVar* cv,
            Mutex* mu) {
  __tsan_mutex_pre_unlock(mu, 0);
  __real__ZN4absl7debian37CondVar4WaitEPNS0_5MutexE(cv, mu);
  __tsan_mutex_post_unlock(mu, 0);
  __tsan_mutex_pre_lock(mu, 0);
  Locked(mu, 0);
}
RENKEI_WRAP(
    bool, _ZN4absl7debian37CondVar15WaitWithTimeoutEPNS0_5MutexENS0_8DurationE,
    CondVar* cv, Mutex* mu, Duration timeout) {
  RENKEI_RELOCK(
      mu,
      __real__ZN4absl7debian37CondVar15WaitWithTimeoutEPNS0_5MutexENS0_8DurationE(
          cv, mu, timeout));
}
RENKEI_WRAP(bool,
            _ZN4absl7debian37CondVar16WaitWithDeadlineEPNS0_5MutexENS0_4TimeE,
            CondVar* cv, Mutex* mu, Time deadline) {
  RENKEI_RELOCK(
      mu,
      __real__ZN4absl7debian37CondVar16WaitWithDeadlineEPNS0_5MutexENS0_4TimeE(
          cv, mu, deadline));
}

// ReleasableMutexLock::Release unlocks inside Abseil; its one member is the
// Mutex*, cleared by the release.
RENKEI_WRAP(void, _ZN4absl7debian319ReleasableMutexLock7ReleaseEv,
            ReleasableMutexLock* lock) {
  static_assert(sizeof(ReleasableMutexLock) == sizeof(Mutex*));
  Mutex* mu = *reinterpret_cast<Mutex**>(lock);
  __tsan_mutex_pre_unlock(mu, 0);
  __real__ZN4absl7debian319ReleasableMutexLock7ReleaseEv(lock);
  __tsan_mutex_post_unlock(mu, 0);
}

// A destroyed Mutex's address may hold another one later.
RENKEI_WRAP(void, _ZN4absl7debian35MutexD1Ev, Mutex* mu) {
  __tsan_mutex_destroy(mu, 0);
  __real__ZN4absl7debian35MutexD1Ev(mu);
}
RENKEI_WRAP(void, _ZN4absl7debian35MutexD2Ev, Mutex* mu) {
  __tsan_mutex_destroy(mu, 0);
  __real__ZN4absl7debian35MutexD2Ev(mu);
}

// Notification: Notify happens before every wait that returns notified.
RENKEI_WRAP(void, _ZN4absl7debian312Notification6NotifyEv, Notification* n) {
  __tsan_release(n);
  __real__ZN4absl7debian312Notification6NotifyEv(n);
}
RENKEI_WRAP(void, _ZNK4absl7debian312Notification19WaitForNotificationEv,
            const Notification* n) {
  __real__ZNK4absl7debian312Notification19WaitForNotificationEv(n);
  __tsan_acquire(const_cast<Notification*>(n));
}
RENKEI_WRAP(
    bool,
    _ZNK4absl7debian312Notification30WaitForNotificationWithTimeoutENS0_8DurationE,
    const Notification* n, Duration timeout) {
  bool notified =
      __real__ZNK4absl7debian312Notification30WaitForNotificationWithTimeoutENS0_8DurationE(
          n, timeout);
  if (notified) __tsan_acquire(const_cast<Notification*>(n));
  return notified;
}
RENKEI_WRAP(
    bool,
    _ZNK4absl7debian312Notification31WaitForNotificationWithDeadlineENS0_4TimeE,
    const Notification* n, Time deadline) {
  bool notified =
      __real__ZNK4absl7debian312Notification31WaitForNotificationWithDeadlineENS0_4TimeE(
          n, deadline);
  if (notified) __tsan_acquire(const_cast<Notification*>(n));
  return notified;
}

}  // extern "C"
