// The DWARF .debug_line reader on hand-assembled line programs (DWARF 4 and 5), and bad input.
#include <gtest/gtest.h>

#include <vector>

#include "runtime/debug/dwarf_line.h"

namespace wt::runtime::debug {
namespace {

using Bytes = std::vector<uint8_t>;

// push_back only: GCC 12's -Wstringop-overflow misfires on vector::insert here.
void Append(Bytes& b, std::initializer_list<uint8_t> v) {
  for (uint8_t x : v) b.push_back(x);
}
void Cat(Bytes& b, const Bytes& more) {
  for (uint8_t x : more) b.push_back(x);
}
void U16(Bytes& b, uint32_t v) {
  Append(b, {static_cast<uint8_t>(v), static_cast<uint8_t>(v >> 8)});
}
void U32(Bytes& b, uint32_t v) {
  for (int i = 0; i < 4; ++i) b.push_back(static_cast<uint8_t>(v >> (8 * i)));
}
void Str(Bytes& b, const char* s) {
  while (*s) b.push_back(static_cast<uint8_t>(*s++));
  b.push_back(0);
}

// The fields after header_length up to (excluding) the directory/file tables.
void CommonHeader(Bytes& b, int version) {
  Append(b, {1});                    // minimum_instruction_length
  if (version >= 4) Append(b, {1});  // maximum_operations_per_instruction
  Append(b, {1, static_cast<uint8_t>(-5), 14,
             13});  // default_is_stmt, line_base, line_range, opcode_base
  Append(b, {0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1});  // standard_opcode_lengths
}

// unit_length, version, [v5: address/segment sizes], header_length around `tables` + `program`.
Bytes Unit(int version, const Bytes& tables, const Bytes& program) {
  Bytes header;
  CommonHeader(header, version);
  Cat(header, tables);
  Bytes body;
  U16(body, static_cast<uint32_t>(version));
  if (version >= 5) Append(body, {4, 0});
  U32(body, static_cast<uint32_t>(header.size()));
  Cat(body, header);
  Cat(body, program);
  Bytes unit;
  U32(unit, static_cast<uint32_t>(body.size()));
  Cat(unit, body);
  return unit;
}

void SetAddress(Bytes& p, uint32_t a) {
  Append(p, {0, 5, 2});
  U32(p, a);
}
void EndSequence(Bytes& p) {
  Append(p, {0, 1, 1});
}

// file 1 = /src/a.c: 0x10 -> 10:5, 0x14 -> 12:5, ends at 0x1c.
Bytes Version4Unit() {
  Bytes tables;
  Str(tables, "/src");
  Append(tables, {0});
  Str(tables, "a.c");
  Append(tables, {1, 0, 0});
  Append(tables, {0});
  Bytes p;
  SetAddress(p, 0x10);
  Append(p, {5, 5});  // set_column 5
  Append(p, {3, 9});  // advance_line +9 -> 10
  Append(p, {1});     // copy
  Append(p, {76});    // special: address += 4, line += 2
  Append(p, {2, 8});  // advance_pc 8
  EndSequence(p);
  return Unit(4, tables, p);
}

TEST(DwarfLine, Version4) {
  Bytes sec = Version4Unit();
  auto t = LineTable::Parse({sec, {}, {}});
  ASSERT_TRUE(t.ok()) << t.error().ToString();
  auto at = [&](uint64_t a) { return t->Lookup(a); };
  EXPECT_FALSE(at(0x0f));
  ASSERT_TRUE(at(0x10));
  EXPECT_EQ(at(0x10)->file, "/src/a.c");
  EXPECT_EQ(at(0x10)->line, 10u);
  EXPECT_EQ(at(0x10)->column, 5u);
  EXPECT_EQ(at(0x13)->line, 10u);
  EXPECT_EQ(at(0x14)->line, 12u);
  EXPECT_EQ(at(0x1b)->line, 12u);
  EXPECT_FALSE(at(0x1c));
  EXPECT_FALSE(at(0x1000));
}

TEST(DwarfLine, Version5WithLineStrAndTwoUnits) {
  // .debug_line_str: "/work\0x.c\0"
  Bytes line_str;
  Str(line_str, "/work");
  Str(line_str, "x.c");
  Bytes tables;
  Append(tables, {1, 1, 0x1f});  // directory format: path as line_strp
  Append(tables, {1});
  U32(tables, 0);                         // "/work"
  Append(tables, {2, 1, 0x1f, 2, 0x0b});  // file format: path line_strp, dir index data1
  Append(tables, {2});
  U32(tables, 6);  // "x.c"
  Append(tables, {0});
  U32(tables, 0);  // "/work" as a file name, dir 0
  Append(tables, {0});
  Bytes p;
  SetAddress(p, 0x40);
  Append(p, {4, 0});  // set_file 0 (DWARF 5 numbers files from 0)
  Append(p, {3, 4});  // line 5
  Append(p, {1});
  Append(p, {8});     // const_add_pc: (255 - 13) / 14 = 17
  Append(p, {5, 3});  // column 3
  Append(p, {1});
  Append(p, {9});  // fixed_advance_pc 2
  U16(p, 2);
  EndSequence(p);
  // A sequence of a function the linker dropped (address 0): ignored.
  SetAddress(p, 0);
  Append(p, {1});
  Append(p, {2, 0x50});
  EndSequence(p);
  Bytes sec = Unit(5, tables, p);
  Bytes v4 = Version4Unit();
  Cat(sec, v4);

  auto t = LineTable::Parse({sec, line_str, {}});
  ASSERT_TRUE(t.ok()) << t.error().ToString();
  ASSERT_TRUE(t->Lookup(0x40));
  EXPECT_EQ(t->Lookup(0x40)->file, "/work/x.c");
  EXPECT_EQ(t->Lookup(0x40)->line, 5u);
  EXPECT_EQ(t->Lookup(0x40)->column, 0u);
  EXPECT_EQ(t->Lookup(0x51)->column, 3u);
  EXPECT_EQ(t->Lookup(0x52)->column, 3u);
  EXPECT_FALSE(t->Lookup(0x53));
  // The dropped function's rows do not shadow the second unit.
  EXPECT_FALSE(t->Lookup(0x08));
  EXPECT_EQ(t->Lookup(0x10)->file, "/src/a.c");
}

TEST(DwarfLine, BadInputIsAnErrorNotACrash) {
  Bytes good = Version4Unit();
  for (size_t cut = 1; cut < good.size(); ++cut) {
    Bytes b;
    for (size_t i = 0; i < cut; ++i) b.push_back(good[i]);
    auto t = LineTable::Parse({b, {}, {}});
    EXPECT_FALSE(t.ok()) << "cut at " << cut;
  }
  Bytes bad_version = good;
  bad_version[4] = 9;
  EXPECT_FALSE(LineTable::Parse({bad_version, {}, {}}).ok());
  Bytes huge = good;
  huge[0] = 0xf0;  // unit length past the end
  EXPECT_FALSE(LineTable::Parse({huge, {}, {}}).ok());
  // Every single-byte corruption parses or fails cleanly.
  for (size_t i = 0; i < good.size(); ++i) {
    for (uint8_t v : {uint8_t{0}, uint8_t{0x7f}, uint8_t{0xff}}) {
      Bytes b = good;
      b[i] = v;
      auto t = LineTable::Parse({b, {}, {}});
      if (t.ok()) (void)t->Lookup(0x10);
    }
  }
  auto empty = LineTable::Parse({{}, {}, {}});
  ASSERT_TRUE(empty.ok());
  EXPECT_FALSE(empty->Lookup(0));
}

}  // namespace
}  // namespace wt::runtime::debug
