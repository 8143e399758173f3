// What a fuzz target asserts: a broken invariant aborts, so libFuzzer keeps
// the input as a crash. Unlike assert(), never compiled out.
#pragma once

#include <cstdio>
#include <cstdlib>

#define DSR_FUZZ_CHECK(condition)                                                            \
  do {                                                                                       \
    if (!(condition)) {                                                                      \
      std::fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, #condition); \
      std::abort();                                                                          \
    }                                                                                        \
  } while (false)
