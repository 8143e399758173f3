// doctest's implementation without a main, for programs that are not doctest
// tests but link test support code that uses its assertions (benchmarks).
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>
