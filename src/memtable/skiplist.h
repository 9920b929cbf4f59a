// SkipList: a sorted set of arena-allocated entries (Pugh's skip list) with one writer and
// any number of lock-free readers.
//
// Entries live inside their nodes. The caller asks AllocateKey() for room for an entry,
// writes the entry's bytes there and then inserts that pointer; the list hands the same
// pointers back as keys. A node is laid out as
//
//   link[height-1] ... link[1] link[0] | entry bytes
//                                      ^ the key pointer; the Node sits just before it
//
// so a search that follows a link lands next to the key it compares next: one cache miss
// per node visited instead of two (node, then a separately allocated entry), and no 8-byte
// key pointer per node. The list never removes an entry and never changes one after it is
// inserted; a node and its entry live until the Arena is destroyed.
//
// Threading:
//  - Insert() needs external synchronization: one writer at a time.
//  - InsertConcurrently() may run in several threads at once (the DB's parallel memtable
//    writes), but never at the same time as Insert(). Its nodes come from the arena's
//    locked allocation path.
//  - Contains() and Iterator may run in any number of threads at the same time as the
//    writer, without locks. They see every entry whose Insert() happened-before their
//    call, maybe some entries being inserted concurrently, and never a half-built node.
//
// Why readers are safe. A node is fully built (its entry and all of its forward links)
// before it becomes reachable, and it becomes reachable only through a release
// store into a predecessor's link; readers follow links with acquire loads. So a reader
// that reaches a node also sees everything the writer did before publishing it: the node's
// entry and links. Links are published bottom-up. Every level
// is a sorted sub-list of level 0, so a reader that sees a node at level 0 but not yet at a
// higher level just takes a slower path, never a wrong one. A link, once published, only
// ever changes to point to a newly inserted node that lies between the two old neighbours,
// so the order a reader walks is sorted at every instant.
//
// Concurrent inserts. Nodes are never removed and keys are unique, so a splice (prev, next)
// found at some level stays a valid place for the key until another insert puts a node
// between prev and next. Each link is installed with a compare-and-swap on prev's link that
// expects next; a failed swap means exactly that, and the splice is searched again from
// prev, which is still before the key. Links go in bottom-up, as in Insert(), so readers see
// the same invariants whichever of the two paths built a node.
//
// max_height_ is read with relaxed ordering: a reader that sees a stale, smaller height
// starts its search lower (correct, slower); a reader that sees a new height before the
// head's link at that level is published reads null there and drops a level (correct).
#pragma once

#include <atomic>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <new>
#include <thread>

#include "base/arena.h"
#include "base/random.h"

namespace strata::memtable {

// KeyComparator is a functor: int operator()(const char* a, const char* b) const, returning
// <0, 0 or >0. It is copied into the list.
template <class KeyComparator>
class SkipList {
 private:
  struct Node;  // declared ahead for Iterator; defined in the private part below

 public:
  using Key = const char*;

  static constexpr int kMaxHeight = 12;
  // Each level holds about 1/kBranching of the nodes of the level below it.
  static constexpr uint32_t kBranching = 4;

  // Nodes are allocated in *arena, which must outlive the list.
  SkipList(KeyComparator compare, Arena* arena);
  SkipList(const SkipList&) = delete;
  SkipList& operator=(const SkipList&) = delete;

  // Room for an entry of `bytes` bytes inside a new, unlinked node; the caller writes the
  // entry there and passes the pointer to Insert() exactly once. Writer only, like Insert.
  char* AllocateKey(size_t bytes);
  // As AllocateKey, for InsertConcurrently: any number of threads at once.
  char* AllocateKeyConcurrently(size_t bytes);

  // Links key, from AllocateKey() and fully written, into the list. It must not compare
  // equal to any entry already in the list; it must not change afterwards. Writer only.
  void Insert(Key key);
  // As Insert, for a key from AllocateKeyConcurrently(), from several threads at once; see
  // the threading note above.
  void InsertConcurrently(Key key);

  // True if an entry compares equal to key. Safe alongside the writer.
  bool Contains(Key key) const;

  // Walks the list. Safe alongside the writer; each Iterator is used by one thread.
  class Iterator {
   public:
    // The list must outlive the iterator. Starts not Valid().
    explicit Iterator(const SkipList* list) : list_(list) {}

    bool Valid() const { return node_ != nullptr; }
    // Require Valid().
    Key key() const {
      assert(Valid());
      return node_->key();
    }
    void Next() {
      assert(Valid());
      node_ = node_->Next(0);
    }
    // There are no back links: searches from the top for the last entry before this one.
    void Prev() {
      assert(Valid());
      node_ = list_->AsEntry(list_->FindLessThan(node_->key()));
    }
    // First entry >= target.
    void Seek(Key target) { node_ = list_->FindGreaterOrEqual(target, nullptr); }
    // Last entry <= target.
    void SeekForPrev(Key target) { node_ = list_->AsEntry(list_->FindLessOrEqual(target)); }
    void SeekToFirst() { node_ = list_->head_->Next(0); }
    void SeekToLast() { node_ = list_->AsEntry(list_->FindLast()); }

   private:
    const SkipList* list_;
    Node* node_ = nullptr;
  };

 private:
  // A node is its level-0 link; links of higher levels lie just below it in memory (link i
  // at this - i) and the entry right after it (see the file comment). Built in place by
  // NewNode, never copied.
  struct Node {
    Key key() const { return reinterpret_cast<const char*>(this + 1); }

    // Acquire: whoever reads a link sees the node it points to fully built.
    Node* Next(int level) { return Link(level)->load(std::memory_order_acquire); }
    // Release: publishes x and everything written before this store.
    void SetNext(int level, Node* x) { Link(level)->store(x, std::memory_order_release); }
    // Relaxed: for the writer reading its own links, and for links of a node that no
    // reader can reach yet.
    Node* NextRelaxed(int level) { return Link(level)->load(std::memory_order_relaxed); }
    void SetNextRelaxed(int level, Node* x) { Link(level)->store(x, std::memory_order_relaxed); }
    // Release on success, like SetNext: publishes x. False if the link no longer holds
    // expected (another insert got there first).
    bool CasNext(int level, Node* expected, Node* x) {
      return Link(level)->compare_exchange_strong(expected, x, std::memory_order_release,
                                                  std::memory_order_relaxed);
    }

    // Until the node is linked, nothing reads its level-0 link, so it carries the node's
    // height from AllocateKey to Insert.
    void StashHeight(int height) {
      link0.store(reinterpret_cast<Node*>(static_cast<uintptr_t>(height)),
                  std::memory_order_relaxed);
    }
    int UnstashHeight() {
      return static_cast<int>(reinterpret_cast<uintptr_t>(link0.load(std::memory_order_relaxed)));
    }

    std::atomic<Node*>* Link(int level) {
      assert(level >= 0 && level < kMaxHeight);
      return &link0 - level;
    }

    std::atomic<Node*> link0;
  };
  static_assert(sizeof(Node) == sizeof(std::atomic<Node*>), "a node is its level-0 link");

  static Node* NodeOf(Key key) { return reinterpret_cast<Node*>(const_cast<char*>(key)) - 1; }

  // A node of the given height with room for key_bytes of entry, its links null.
  // concurrent: allocate through the arena's locked path (InsertConcurrently).
  Node* NewNode(size_t key_bytes, int height, bool concurrent = false);
  // From rnd_: writer only.
  int RandomHeight();
  // From a generator of the calling thread's own: for concurrent inserts.
  static int RandomHeightConcurrent();
  int GetMaxHeight() const { return max_height_.load(std::memory_order_relaxed); }
  bool Less(Key a, Key b) const { return compare_(a, b) < 0; }
  // The head stands for "before the first entry"; iterators see it as not Valid().
  Node* AsEntry(Node* x) const { return x == head_ ? nullptr : x; }

  // The first node >= key, or null. If prev is not null, fills prev[level] with the last
  // node < key at each level below GetMaxHeight().
  Node* FindGreaterOrEqual(Key key, Node** prev) const;
  // The last node < key, or head_ if there is none.
  Node* FindLessThan(Key key) const;
  // The last node <= key, or head_ if there is none.
  Node* FindLessOrEqual(Key key) const;
  // The last node, or head_ if the list is empty.
  Node* FindLast() const;

  const KeyComparator compare_;
  Arena* const arena_;
  Node* const head_;
  // Height of the tallest node; only the writer stores it. Ordering: see the file comment.
  std::atomic<int> max_height_{1};
  Random rnd_;  // writer only
};

template <class KeyComparator>
SkipList<KeyComparator>::SkipList(KeyComparator compare, Arena* arena)
    : compare_(compare), arena_(arena), head_(NewNode(0, kMaxHeight)), rnd_(0x5eed) {}

template <class KeyComparator>
typename SkipList<KeyComparator>::Node* SkipList<KeyComparator>::NewNode(size_t key_bytes,
                                                                         int height,
                                                                         bool concurrent) {
  const size_t link_bytes = sizeof(std::atomic<Node*>) * height;
  const size_t bytes = link_bytes + key_bytes;
  char* mem =
      // Nodes start with pointers: align them to a pointer, not to kAlignment, which would
      // pad every node after an odd-sized entry by 8 bytes on average.
      concurrent ? arena_->AllocateAlignedConcurrently(bytes, alignof(std::atomic<Node*>))
                 : arena_->AllocateAligned(bytes, alignof(std::atomic<Node*>));
  auto* links = reinterpret_cast<std::atomic<Node*>*>(mem);
  for (int i = 0; i < height; i++) new (links + i) std::atomic<Node*>(nullptr);
  // Link 0 is the highest-addressed link; the node is that link.
  return std::launder(reinterpret_cast<Node*>(links + height - 1));
}

template <class KeyComparator>
char* SkipList<KeyComparator>::AllocateKey(size_t bytes) {
  const int height = RandomHeight();
  Node* node = NewNode(bytes, height);
  node->StashHeight(height);
  return const_cast<char*>(node->key());
}

template <class KeyComparator>
char* SkipList<KeyComparator>::AllocateKeyConcurrently(size_t bytes) {
  const int height = RandomHeightConcurrent();
  Node* node = NewNode(bytes, height, /*concurrent=*/true);
  node->StashHeight(height);
  return const_cast<char*>(node->key());
}

template <class KeyComparator>
int SkipList<KeyComparator>::RandomHeight() {
  int height = 1;
  while (height < kMaxHeight && rnd_.OneIn(kBranching)) height++;
  return height;
}

template <class KeyComparator>
int SkipList<KeyComparator>::RandomHeightConcurrent() {
  // Seeded from the thread's identity: heights need independence, not reproducibility.
  thread_local Random rnd(std::hash<std::thread::id>{}(std::this_thread::get_id()));
  int height = 1;
  while (height < kMaxHeight && rnd.OneIn(kBranching)) height++;
  return height;
}

template <class KeyComparator>
typename SkipList<KeyComparator>::Node* SkipList<KeyComparator>::FindGreaterOrEqual(
    Key key, Node** prev) const {
  Node* x = head_;
  int level = GetMaxHeight() - 1;
  while (true) {
    Node* next = x->Next(level);
    if (next != nullptr && Less(next->key(), key)) {
      x = next;  // still before key: move right
      continue;
    }
    if (prev != nullptr) prev[level] = x;
    if (level == 0) return next;
    level--;
  }
}

template <class KeyComparator>
typename SkipList<KeyComparator>::Node* SkipList<KeyComparator>::FindLessThan(Key key) const {
  Node* x = head_;
  int level = GetMaxHeight() - 1;
  while (true) {
    Node* next = x->Next(level);
    if (next != nullptr && Less(next->key(), key)) {
      x = next;
      continue;
    }
    if (level == 0) return x;
    level--;
  }
}

template <class KeyComparator>
typename SkipList<KeyComparator>::Node* SkipList<KeyComparator>::FindLessOrEqual(Key key) const {
  Node* x = head_;
  int level = GetMaxHeight() - 1;
  while (true) {
    Node* next = x->Next(level);
    if (next != nullptr && !Less(key, next->key())) {
      x = next;
      continue;
    }
    if (level == 0) return x;
    level--;
  }
}

template <class KeyComparator>
typename SkipList<KeyComparator>::Node* SkipList<KeyComparator>::FindLast() const {
  Node* x = head_;
  int level = GetMaxHeight() - 1;
  while (true) {
    Node* next = x->Next(level);
    if (next != nullptr) {
      x = next;
      continue;
    }
    if (level == 0) return x;
    level--;
  }
}

template <class KeyComparator>
void SkipList<KeyComparator>::Insert(Key key) {
  Node* prev[kMaxHeight];
  [[maybe_unused]] Node* next = FindGreaterOrEqual(key, prev);
  assert(next == nullptr || compare_(key, next->key()) != 0);  // duplicates are not allowed

  Node* const x = NodeOf(key);
  const int height = x->UnstashHeight();
  const int old_height = GetMaxHeight();
  if (height > old_height) {
    for (int i = old_height; i < height; i++) prev[i] = head_;
    max_height_.store(height, std::memory_order_relaxed);
  }

  for (int i = 0; i < height; i++) {
    // x is not reachable yet, so its own links need no ordering. The release store into
    // prev[i] publishes x at level i together with everything written above.
    x->SetNextRelaxed(i, prev[i]->NextRelaxed(i));
    prev[i]->SetNext(i, x);
  }
}

template <class KeyComparator>
void SkipList<KeyComparator>::InsertConcurrently(Key key) {
  Node* const node = NodeOf(key);
  const int height = node->UnstashHeight();
  int max_height = GetMaxHeight();
  while (height > max_height &&
         !max_height_.compare_exchange_weak(max_height, height, std::memory_order_relaxed)) {
  }
  if (height > max_height) max_height = height;

  // The splice at every level, top-down, as FindGreaterOrEqual walks.
  Node* prev[kMaxHeight];
  Node* next[kMaxHeight];
  Node* x = head_;
  for (int level = max_height - 1; level >= 0; level--) {
    Node* n = x->Next(level);
    while (n != nullptr && Less(n->key(), key)) {
      x = n;
      n = x->Next(level);
    }
    prev[level] = x;
    next[level] = n;
  }
  assert(next[0] == nullptr || compare_(key, next[0]->key()) != 0);  // no duplicates

  for (int i = 0; i < height; i++) {
    while (true) {
      // node is not reachable at level i yet: its own link needs no ordering.
      node->SetNextRelaxed(i, next[i]);
      if (prev[i]->CasNext(i, next[i], node)) break;
      // Someone inserted after prev[i] at this level: walk on from prev[i], which is
      // still before key because nodes are never removed.
      Node* n = prev[i]->Next(i);
      while (n != nullptr && Less(n->key(), key)) {
        prev[i] = n;
        n = n->Next(i);
      }
      next[i] = n;
    }
  }
}

template <class KeyComparator>
bool SkipList<KeyComparator>::Contains(Key key) const {
  Node* x = FindGreaterOrEqual(key, nullptr);
  return x != nullptr && compare_(key, x->key()) == 0;
}

}  // namespace strata::memtable
