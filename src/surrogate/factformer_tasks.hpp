// The FactFormer entries of the field-task table (field_task.hpp): each model's deck options
// with its reference recipe as defaults, its adapter to the window layout, and its loss.
#pragma once

#include "surrogate/field_task.hpp"

namespace pf {

// FactFormer-2D on 2-D fields (examples/turb_ns2d_fact_lm.py): whole-frame relative L2 on
// normalised fields.
FieldTask factformer2d_task();

}  // namespace pf
