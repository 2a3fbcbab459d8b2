// Early-return helpers for absl::Status / absl::StatusOr (Debian's Abseil
// 20220623 ships none).
#ifndef RENKEI_SERVICES_DOMAIN_STATUS_MACROS_H_
#define RENKEI_SERVICES_DOMAIN_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

// Returns from the enclosing function if `expr` (an absl::Status) is not OK.
#define RENKEI_RETURN_IF_ERROR(expr)                                    \
  do {                                                                  \
    if (::absl::Status renkei_status_ = (expr); !renkei_status_.ok()) { \
      return renkei_status_;                                            \
    }                                                                   \
  } while (false)

#define RENKEI_STATUS_CONCAT_INNER_(a, b) a##b
#define RENKEI_STATUS_CONCAT_(a, b) RENKEI_STATUS_CONCAT_INNER_(a, b)

// `lhs = *expr` where expr is an absl::StatusOr, or returns its error.
// Caveat: expands to several statements; not for an unbraced if/else body.
#define RENKEI_ASSIGN_OR_RETURN(lhs, expr) \
  RENKEI_ASSIGN_OR_RETURN_IMPL_(           \
      RENKEI_STATUS_CONCAT_(renkei_statusor_, __COUNTER__), lhs, expr)

#define RENKEI_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, expr) \
  auto statusor = (expr);                                  \
  if (!statusor.ok()) return std::move(statusor).status(); \
  lhs = std::move(statusor).value()

#endif  // RENKEI_SERVICES_DOMAIN_STATUS_MACROS_H_
