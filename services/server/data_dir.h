// The data directory's permissions: the case log, the read models, the
// credentials and the secrets are the staff's and the households' alone.
// Only the server's user may enter the directory (0700) or read a file in
// it (0600): the process creates files with umask 077, and what an older
// server or a careless copy left more open is tightened at start. A secret
// (the pseudonym key) that others could already read is refused instead:
// it may have been copied, and only a person can judge that.
//
// Thread-safety: call before the server's threads start (it sets the
// process's umask).
#pragma once

#include <string>

#include "absl/status/status.h"

namespace renkei::server {

// Creates `data_dir` (0700) if missing, sets umask 077, refuses (as
// FAILED_PRECONDITION) a secret file readable by group or others, and
// tightens every other file to 0600 and directory to 0700.
[[nodiscard]] absl::Status SecureDataDir(const std::string& data_dir);

}  // namespace renkei::server
