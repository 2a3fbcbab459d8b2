// Small absl::Status helpers missing from Debian's Abseil (20220623).
#pragma once

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define RENKEI_CONCAT_INNER(a, b) a##b
#define RENKEI_CONCAT(a, b) RENKEI_CONCAT_INNER(a, b)

// Returns from the current function when `expr` (an absl::Status) is not OK.
#define RENKEI_RETURN_IF_ERROR(expr)        \
  do {                                      \
    ::absl::Status renkei_status_ = (expr); \
    if (!renkei_status_.ok()) {             \
      return renkei_status_;                \
    }                                       \
  } while (0)

// Declares `lhs` from an absl::StatusOr expression or returns its error.
// Caveat: expands to several statements; do not use as the body of an
// unbraced if/else.
#define RENKEI_ASSIGN_OR_RETURN(lhs, expr)                                   \
  RENKEI_ASSIGN_OR_RETURN_IMPL(RENKEI_CONCAT(renkei_sor_, __COUNTER__), lhs, \
                               expr)
#define RENKEI_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                 \
  if (!tmp.ok()) {                                   \
    return std::move(tmp).status();                  \
  }                                                  \
  lhs = std::move(tmp).value()
