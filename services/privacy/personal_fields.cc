#include "services/privacy/personal_fields.h"

#include <map>
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
    const bool message_field =
        f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE;
    if (IsPersonal(f) || (f->is_repeated() && message_field &&
                          HoldsPersonalFields(f->message_type()))) {
      // Same type on both sides: swap the field across.
      r->SwapFields(message, personal, {f});
      moved = true;
      continue;
    }
    if (!f->is_repeated() && message_field &&
        HoldsPersonalFields(f->message_type())) {
      Message* child = r->MutableMessage(message, f);
      Message* personal_child = pr->MutableMessage(personal, f);
      if (SplitPersonal(child, personal_child)) {
        moved = true;
      } else {
        pr->ClearField(personal, f);
      }
    }
  }
  return moved;
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
