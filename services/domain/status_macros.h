// Early-return helpers for absl::Status / absl::StatusOr (Debian's Abseil
// 20220623 ships none).
#ifndef RENKEI_SERVICES_DOMAIN_STATUS_MACROS_H_
#define RENKEI_SERVICES_DOMAIN_STATUS_MACROS_H_

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

// Returns from the enclosing function if `expr` (an absl::Status) is not OK.
#define RENKEI_DOMAIN_RETURN_IF_ERROR(expr)                             \
  do {                                                                  \
    if (::absl::Status domain_status_ = (expr); !domain_status_.ok()) { \
      return domain_status_;                                            \
    }                                                                   \
  } while (false)

#define RENKEI_DOMAIN_STATUS_CONCAT_INNER_(a, b) a##b
#define RENKEI_DOMAIN_STATUS_CONCAT_(a, b) \
  RENKEI_DOMAIN_STATUS_CONCAT_INNER_(a, b)

// `lhs = *expr` where expr is an absl::StatusOr, or returns its error.
// Caveat: expands to several statements; not for an unbraced if/else body.
#define RENKEI_DOMAIN_ASSIGN_OR_RETURN(lhs, expr) \
  RENKEI_DOMAIN_ASSIGN_OR_RETURN_IMPL_(           \
      RENKEI_DOMAIN_STATUS_CONCAT_(domain_statusor_, __COUNTER__), lhs, expr)

#define RENKEI_DOMAIN_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, expr) \
  auto statusor = (expr);                                         \
  if (!statusor.ok()) return std::move(statusor).status();        \
  lhs = std::move(statusor).value()

#endif  // RENKEI_SERVICES_DOMAIN_STATUS_MACROS_H_
