#include "services/privacy/personal_fields.h"

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "google/protobuf/descriptor.h"
#include "google/protobuf/reflection.h"
#include "renkei/v1/privacy.pb.h"

namespace renkei::privacy {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

bool IsPersonal(const FieldDescriptor* field) {
  return field->options().GetExtension(v1::personal);
}

bool NamesSubject(const FieldDescriptor* field) {
  return field->options().GetExtension(v1::names_subject);
}

bool HoldsPersonalImpl(const Descriptor* d,
                       std::vector<const Descriptor*>& on) {
  for (const Descriptor* seen : on) {
    if (seen == d) return false;  // recursive types: counted once
  }
  on.push_back(d);
  bool holds = false;
  for (int i = 0; i < d->field_count() && !holds; ++i) {
    const FieldDescriptor* f = d->field(i);
    if (IsPersonal(f))
      holds = true;
    else if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      holds = HoldsPersonalImpl(f->message_type(), on);
    }
  }
  on.pop_back();
  return holds;
}

void ListSetFields(const Message& m, std::vector<const FieldDescriptor*>* out) {
  m.GetReflection()->ListFields(m, out);
}

}  // namespace

bool HoldsPersonalFields(const Descriptor* descriptor) {
  static std::mutex mu;
  static std::map<const Descriptor*, bool>* memo =
      new std::map<const Descriptor*, bool>();
  std::lock_guard<std::mutex> lock(mu);
  auto it = memo->find(descriptor);
  if (it != memo->end()) return it->second;
  std::vector<const Descriptor*> on;
  const bool holds = HoldsPersonalImpl(descriptor, on);
  memo->emplace(descriptor, holds);
  return holds;
}

bool SplitPersonal(Message* message, Message* personal) {
  personal->Clear();
  if (!HoldsPersonalFields(message->GetDescriptor())) return false;
  const Reflection* r = message->GetReflection();
  const Reflection* pr = personal->GetReflection();
  std::vector<const FieldDescriptor*> fields;
  ListSetFields(*message, &fields);
  bool moved = false;
  for (const FieldDescriptor* f : fields) {
    if (IsPersonal(f)) {
      // Same type on both sides: swap the field across.
      r->SwapFields(message, personal, {f});
      moved = true;
      continue;
    }
    if (f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE ||
        !HoldsPersonalFields(f->message_type())) {
      continue;
    }
    if (f->is_repeated()) {
      // Element by element, so ids and order stay in the public part; the
      // personal list keeps one (possibly empty) element per element.
      bool any = false;
      for (int i = 0; i < r->FieldSize(*message, f); ++i) {
        any |= SplitPersonal(r->MutableRepeatedMessage(message, f, i),
                             pr->AddMessage(personal, f));
      }
      if (any) {
        moved = true;
      } else {
        pr->ClearField(personal, f);
      }
      continue;
    }
    if (SplitPersonal(r->MutableMessage(message, f),
                      pr->MutableMessage(personal, f))) {
      moved = true;
    } else {
      pr->ClearField(personal, f);
    }
  }
  return moved;
}

void MergePersonal(Message* message, Message* personal) {
  const Reflection* r = message->GetReflection();
  const Reflection* pr = personal->GetReflection();
  std::vector<const FieldDescriptor*> fields;
  ListSetFields(*personal, &fields);
  std::unique_ptr<Message> leaves;  // this level's personal fields
  for (const FieldDescriptor* f : fields) {
    if (IsPersonal(f)) {
      if (leaves == nullptr) leaves.reset(personal->New());
      pr->SwapFields(leaves.get(), personal, {f});
      continue;
    }
    if (f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) continue;
    if (f->is_repeated()) {
      const int n =
          std::min(r->FieldSize(*message, f), pr->FieldSize(*personal, f));
      for (int i = 0; i < n; ++i) {
        MergePersonal(r->MutableRepeatedMessage(message, f, i),
                      pr->MutableRepeatedMessage(personal, f, i));
      }
    } else {
      MergePersonal(r->MutableMessage(message, f),
                    pr->MutableMessage(personal, f));
    }
  }
  // The public part has none of them set: merging is copying.
  if (leaves != nullptr) message->MergeFrom(*leaves);
}

void ClearPersonal(Message* message) {
  if (!HoldsPersonalFields(message->GetDescriptor())) return;
  const Reflection* r = message->GetReflection();
  std::vector<const FieldDescriptor*> fields;
  ListSetFields(*message, &fields);
  for (const FieldDescriptor* f : fields) {
    if (IsPersonal(f)) {
      r->ClearField(message, f);
      continue;
    }
    if (f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) continue;
    if (f->is_repeated()) {
      for (int i = 0; i < r->FieldSize(*message, f); ++i) {
        ClearPersonal(r->MutableRepeatedMessage(message, f, i));
      }
    } else {
      ClearPersonal(r->MutableMessage(message, f));
    }
  }
}

std::set<std::string> NamedSubjects(const Message& message) {
  std::set<std::string> out;
  const Reflection* r = message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  ListSetFields(message, &fields);
  for (const FieldDescriptor* f : fields) {
    if (NamesSubject(f) && f->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
      if (f->is_repeated()) {
        for (int i = 0; i < r->FieldSize(message, f); ++i) {
          out.insert(r->GetRepeatedString(message, f, i));
        }
      } else {
        out.insert(r->GetString(message, f));
      }
      continue;
    }
    if (f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) continue;
    if (f->is_repeated()) {
      for (int i = 0; i < r->FieldSize(message, f); ++i) {
        out.merge(NamedSubjects(r->GetRepeatedMessage(message, f, i)));
      }
    } else {
      out.merge(NamedSubjects(r->GetMessage(message, f)));
    }
  }
  out.erase("");
  return out;
}

}  // namespace renkei::privacy
