// libFuzzer target: `decide` over random command sequences.
//
// Starting from the story's world (a case with a plan and a stage lead, a
// held conference, a started handover), the input is read as up to
// kMaxSteps commands, each decided against the current states and, when
// accepted, applied: case, conference, handover and directory commands
// interleave, so leads, referrals, action items, departures and handover
// completions (with the per-stream moves they plan) meet in any order.
//
// Step format (see tests/fuzz/README.md; the seed generator writes it):
//   byte h: h % 4 picks the aggregate (directory, case, conference,
//   handover); with h & 0x80 the step is raw: a big-endian 16-bit length and
//   that many bytes of the wrapper command as serialized. With h & 0xc0 ==
//   0x40 it is a template: bytes pick one of the story's commands, maybe a
//   new actor and time, maybe a new id for what it creates or for its
//   stream, and up to three field changes. Otherwise bytes pick
//   the actor, the day and hour, the aggregate id and the command kind, and
//   every field of the command is filled from the input by reflection (ids
//   from the story's pool of ids, enums from their values and now and then
//   an unknown number, timestamps around the story's days).
//
// Invariants: no exception escapes; deciding twice gives the same outcome;
// refusals have a documented code; at the end every stream's history, after
// a round trip through the log's envelope, folds from scratch to exactly the
// state built incrementally.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "google/protobuf/timestamp.pb.h"
#include "services/domain/time_util.h"
#include "tests/fuzz/fuzz_world.h"

namespace renkei::fuzz {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

constexpr int kMaxSteps = 24;
constexpr int kMaxDepth = 4;

class Reader {
 public:
  Reader(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  bool empty() const { return pos_ >= size_; }
  uint8_t U8() { return pos_ < size_ ? data_[pos_++] : 0; }
  uint16_t U16() {
    const uint16_t hi = U8();
    return static_cast<uint16_t>((hi << 8) | U8());
  }
  std::string Bytes(size_t n) {
    n = std::min(n, size_ - std::min(pos_, size_));
    std::string out(reinterpret_cast<const char*>(data_ + pos_), n);
    pos_ += n;
    return out;
  }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
};

// Free text: printable ASCII, and a Japanese word now and then.
std::string FreeText(Reader& r) {
  std::string out;
  const size_t n = r.U8() % 24;
  for (size_t i = 0; i < n; ++i) {
    const uint8_t b = r.U8();
    if (b >= 0xf0) {
      out += "支援";
    } else {
      out.push_back(static_cast<char>(0x20 + b % 0x5f));
    }
  }
  return out;
}

std::string AnId(Reader& r) {
  const uint8_t b = r.U8();
  if (b >= 0xf8) return FreeText(r);
  const auto& ids = StoryIds();
  return ids[b % ids.size()];
}

void Fill(Message& m, Reader& r, int depth);

void SetOne(Message& m, const FieldDescriptor* f, Reader& r, int depth) {
  const Reflection* refl = m.GetReflection();
  const bool rep = f->is_repeated();
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING: {
      const std::string v =
          absl::EndsWith(f->name(), "_id") || absl::EndsWith(f->name(), "_ids")
              ? AnId(r)
              : (r.U8() < 200 ? FreeText(r) : AnId(r));
      rep ? refl->AddString(&m, f, v) : refl->SetString(&m, f, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_ENUM: {
      const auto* e = f->enum_type();
      const uint8_t b = r.U8();
      const int v = b == 0xff ? 9999 : e->value(b % e->value_count())->number();
      rep ? refl->AddEnumValue(&m, f, v) : refl->SetEnumValue(&m, f, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_BOOL: {
      const bool v = r.U8() & 1;
      rep ? refl->AddBool(&m, f, v) : refl->SetBool(&m, f, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_INT32: {
      const int32_t v = static_cast<int8_t>(r.U8());
      rep ? refl->AddInt32(&m, f, v) : refl->SetInt32(&m, f, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_INT64: {
      const int64_t v = static_cast<int8_t>(r.U8());
      rep ? refl->AddInt64(&m, f, v) : refl->SetInt64(&m, f, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_UINT32: {
      const uint32_t v = r.U8();
      rep ? refl->AddUInt32(&m, f, v) : refl->SetUInt32(&m, f, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_UINT64: {
      const uint64_t v = r.U8();
      rep ? refl->AddUInt64(&m, f, v) : refl->SetUInt64(&m, f, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_MESSAGE: {
      if (depth >= kMaxDepth) return;
      Message* child =
          rep ? refl->AddMessage(&m, f) : refl->MutableMessage(&m, f);
      if (f->message_type() == google::protobuf::Timestamp::descriptor()) {
        auto* ts = static_cast<google::protobuf::Timestamp*>(child);
        const uint8_t b = r.U8();
        if (b == 0xff) {
          ts->set_seconds(int64_t{1} << 40);  // out of range
        } else {
          *ts = domain::ToTimestamp(Day(b % 64 - 12, r.U8() % 24));
        }
        return;
      }
      Fill(*child, r, depth + 1);
      break;
    }
    default:
      break;  // no float or double fields in commands
  }
}

void Fill(Message& m, Reader& r, int depth) {
  const Descriptor* d = m.GetDescriptor();
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    // A oneof gets one member: the first the input chooses.
    if (f->containing_oneof() != nullptr &&
        m.GetReflection()->HasOneof(m, f->containing_oneof())) {
      continue;
    }
    const uint8_t b = r.U8();
    if (b < 24) continue;  // left unset
    const int count = f->is_repeated() ? 1 + b % 3 : 1;
    for (int k = 0; k < count; ++k) SetOne(m, f, r, depth);
  }
}

// Changes one field somewhere in `m`: sets a field (possibly one that was
// unset), clears one, adds an element to a repeated one, or descends into a
// message field.
void Mutate(Message& m, Reader& r, int depth) {
  const Descriptor* d = m.GetDescriptor();
  const Reflection* refl = m.GetReflection();
  if (d == google::protobuf::Timestamp::descriptor() || d->field_count() == 0) {
    return;
  }
  std::vector<const FieldDescriptor*> set;
  refl->ListFields(m, &set);
  const uint8_t b = r.U8();
  if (set.empty() || b < 64) {
    const FieldDescriptor* f = d->field(b % d->field_count());
    if (!f->is_repeated()) refl->ClearField(&m, f);
    SetOne(m, f, r, depth);
    return;
  }
  const FieldDescriptor* f = set[b % set.size()];
  const uint8_t how = r.U8();
  if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE && depth < kMaxDepth &&
      how < 128) {
    Message* child = f->is_repeated()
                         ? refl->MutableRepeatedMessage(
                               &m, f, r.U8() % refl->FieldSize(m, f))
                         : refl->MutableMessage(&m, f);
    Mutate(*child, r, depth + 1);
  } else if (how < 144) {
    refl->ClearField(&m, f);
  } else {
    if (!f->is_repeated()) refl->ClearField(&m, f);
    SetOne(m, f, r, depth);
  }
}

template <typename Command>
void Generate(Command& command, Reader& r, const char* id_field,
              const char* const* ids, int id_count) {
  const StaffRef& staff = StoryStaff()[r.U8() % StoryStaff().size()];
  const int day = r.U8() % 48 - 2;
  const int hour = r.U8() % 24;
  *command.mutable_occurred_at() = domain::ToTimestamp(Day(day, hour));
  command.mutable_actor()->set_staff_id(staff.staff_id);
  command.mutable_actor()->set_agency_id(staff.agency_id);
  const Reflection* refl = command.GetReflection();
  if (id_field != nullptr) {
    refl->SetString(&command,
                    command.GetDescriptor()->FindFieldByName(id_field),
                    ids[r.U8() % id_count]);
  }
  const auto* oneof = command.GetDescriptor()->FindOneofByName("kind");
  const FieldDescriptor* kind = oneof->field(r.U8() % oneof->field_count());
  Fill(*refl->MutableMessage(&command, kind), r, 1);
}

template <typename Command>
void Step(World& world, Command& command) {
  const absl::Status first = Run(world, command, /*apply=*/false, nullptr);
  const absl::Status second = Run(world, command, /*apply=*/true, nullptr);
  if (first != second) {
    Fail(absl::StrCat("deciding twice differs: ", first.ToString(), " then ",
                      second.ToString(), "\n", command.DebugString()));
  }
  if (!first.ok()) {
    switch (first.code()) {
      case absl::StatusCode::kInvalidArgument:
      case absl::StatusCode::kNotFound:
      case absl::StatusCode::kFailedPrecondition:
      case absl::StatusCode::kAlreadyExists:
      case absl::StatusCode::kPermissionDenied:
        break;
      default:
        Fail(absl::StrCat("unexpected refusal ", first.ToString(), "\n",
                          command.DebugString()));
    }
  }
}

template <typename Command>
void RawStep(World& world, Reader& r) {
  const std::string bytes = r.Bytes(r.U16());
  Command command;
  if (!command.ParseFromString(bytes)) return;
  Step(world, command);
}

// Sets the first singular `..._id` string field found depth-first in `m`
// (the id of what the command creates, by the API's convention of listing
// it first) to `id`; true when one was found.
bool RenameFirstId(Message& m, const std::string& id) {
  const Reflection* refl = m.GetReflection();
  std::vector<const FieldDescriptor*> set;
  refl->ListFields(m, &set);
  for (const FieldDescriptor* f : set) {
    if (f->is_repeated()) continue;
    if (f->cpp_type() == FieldDescriptor::CPPTYPE_STRING &&
        absl::EndsWith(f->name(), "_id")) {
      refl->SetString(&m, f, id);
      return true;
    }
    if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE &&
        RenameFirstId(*refl->MutableMessage(&m, f), id)) {
      return true;
    }
  }
  return false;
}

// A story command (which happened, so is mostly refused as it stands)
// with a new actor and time now and then and a few fields changed.
template <typename Command>
void TemplateStep(World& world, const Message& story, Reader& r) {
  Command command;
  command.CopyFrom(story);
  const uint8_t who = r.U8();
  if (who >= 128) {
    const StaffRef& staff = StoryStaff()[who % StoryStaff().size()];
    command.mutable_actor()->set_staff_id(staff.staff_id);
    command.mutable_actor()->set_agency_id(staff.agency_id);
  }
  const uint8_t when = r.U8();
  if (when >= 128) {
    *command.mutable_occurred_at() =
        domain::ToTimestamp(Day(when % 48 - 2, r.U8() % 24));
  }
  // Most story commands create something (an entry, a consent, a
  // decision ...) or a stream: a new id makes them new again.
  const uint8_t fresh = r.U8();
  if ((fresh & 1) != 0) {
    const Reflection* refl = command.GetReflection();
    const auto* oneof = command.GetDescriptor()->FindOneofByName("kind");
    const FieldDescriptor* kind = refl->GetOneofFieldDescriptor(command, oneof);
    if (kind != nullptr) {
      RenameFirstId(*refl->MutableMessage(&command, kind),
                    absl::StrCat("n", fresh >> 5));
    }
  }
  if ((fresh & 2) != 0) {
    const FieldDescriptor* id = command.GetDescriptor()->FindFieldByNumber(3);
    if (id != nullptr && id->type() == FieldDescriptor::TYPE_STRING) {
      command.GetReflection()->SetString(
          &command, id,
          absl::StrCat(command.GetReflection()->GetString(command, id), "2"));
    }
  }
  const int mutations = r.U8() % 4;
  for (int i = 0; i < mutations; ++i) Mutate(command, r, 0);
  Step(world, command);
}

// The story's commands other than its directory set-up (which would crowd
// out the rest).
const std::vector<const Message*>& Templates() {
  static const auto* templates = [] {
    auto* out = new std::vector<const Message*>();
    for (const auto& c : StoryWorld().story_commands) {
      const auto* d = dynamic_cast<const v1::DirectoryCommand*>(c.get());
      if (d != nullptr && !d->has_record_staff_departure()) continue;
      out->push_back(c.get());
    }
    return out;
  }();
  return *templates;
}

void Template(World& world, Reader& r) {
  const auto& templates = Templates();
  const Message& command = *templates[r.U8() % templates.size()];
  const std::string& type = command.GetDescriptor()->full_name();
  if (type == "renkei.v1.CaseCommand") {
    TemplateStep<v1::CaseCommand>(world, command, r);
  } else if (type == "renkei.v1.ConferenceCommand") {
    TemplateStep<v1::ConferenceCommand>(world, command, r);
  } else if (type == "renkei.v1.HandoverCommand") {
    TemplateStep<v1::HandoverCommand>(world, command, r);
  } else {
    TemplateStep<v1::DirectoryCommand>(world, command, r);
  }
}

void RunSequence(const uint8_t* data, size_t size) {
  World world = StoryWorld();
  Reader r(data, size);
  static const char* const kCases[] = {"c1", "c2"};
  static const char* const kConferences[] = {"k1", "k2"};
  static const char* const kHandovers[] = {"h1", "h2"};
  for (int step = 0; step < kMaxSteps && !r.empty(); ++step) {
    const uint8_t h = r.U8();
    const bool raw = (h & 0x80) != 0;
    if ((h & 0xc0) == 0x40) {
      Template(world, r);
      continue;
    }
    switch (h % 4) {
      case 0: {
        if (raw) {
          RawStep<v1::DirectoryCommand>(world, r);
          break;
        }
        v1::DirectoryCommand c;
        Generate(c, r, nullptr, nullptr, 0);
        Step(world, c);
        break;
      }
      case 1: {
        if (raw) {
          RawStep<v1::CaseCommand>(world, r);
          break;
        }
        v1::CaseCommand c;
        Generate(c, r, "case_id", kCases, 2);
        Step(world, c);
        break;
      }
      case 2: {
        if (raw) {
          RawStep<v1::ConferenceCommand>(world, r);
          break;
        }
        v1::ConferenceCommand c;
        Generate(c, r, "conference_id", kConferences, 2);
        Step(world, c);
        break;
      }
      default: {
        if (raw) {
          RawStep<v1::HandoverCommand>(world, r);
          break;
        }
        v1::HandoverCommand c;
        Generate(c, r, "handover_id", kHandovers, 2);
        Step(world, c);
        break;
      }
    }
  }
  CheckRefold(world);
}

}  // namespace
}  // namespace renkei::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    renkei::fuzz::RunSequence(data, size);
  } catch (const std::exception& e) {
    renkei::fuzz::Fail(absl::StrCat("exception escaped: ", e.what()));
  } catch (...) {
    renkei::fuzz::Fail("exception escaped");
  }
  return 0;
}
