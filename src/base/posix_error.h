// PosixError: a Status for a failed system call on a path.
#pragma once

#include <string>

#include "strata/status.h"

namespace strata {

// "<op> <path>" with the system's reason for err; NotFound for ENOENT, IOError otherwise.
Status PosixError(const char* op, const std::string& path, int err);

}  // namespace strata
