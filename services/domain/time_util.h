// Conversions between google.protobuf.Timestamp and absl::Time.
#ifndef RENKEI_SERVICES_DOMAIN_TIME_UTIL_H_
#define RENKEI_SERVICES_DOMAIN_TIME_UTIL_H_

#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"

namespace renkei::domain {

[[nodiscard]] absl::Time ToTime(const google::protobuf::Timestamp& ts);
[[nodiscard]] google::protobuf::Timestamp ToTimestamp(absl::Time t);

}  // namespace renkei::domain

#endif  // RENKEI_SERVICES_DOMAIN_TIME_UTIL_H_
