// Checks shared by the tests of every iterator (blocks, tables, merging, DB).
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "strata/iterator.h"

namespace strata::test {

// A forward scan yields exactly model, in order. Use with ASSERT_NO_FATAL_FAILURE.
inline void ExpectForwardScanMatches(Iterator* it,
                                     const std::map<std::string, std::string>& model) {
  auto m = model.begin();
  for (it->SeekToFirst(); it->Valid(); it->Next(), ++m) {
    ASSERT_NE(m, model.end());
    ASSERT_EQ(it->key().ToString(), m->first);
    ASSERT_EQ(it->value().ToString(), m->second);
  }
  ASSERT_TRUE(it->status().ok()) << it->status().ToString();
  ASSERT_EQ(m, model.end());
}

// Every positioning call leaves an iterator over nothing invalid, without an error.
inline void ExpectEmptyIterator(Iterator* it) {
  it->SeekToFirst();
  EXPECT_FALSE(it->Valid());
  it->SeekToLast();
  EXPECT_FALSE(it->Valid());
  it->Seek("a");
  EXPECT_FALSE(it->Valid());
  it->SeekForPrev("a");
  EXPECT_FALSE(it->Valid());
  EXPECT_TRUE(it->status().ok()) << it->status().ToString();
}

}  // namespace strata::test
