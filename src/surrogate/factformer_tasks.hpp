// The FactFormer entries of the field-task table (field_task.hpp): each model's deck options
// with its reference recipe as defaults, its adapter to the window layout, and its loss.
#pragma once

#include "surrogate/field_task.hpp"

namespace pf {

// FactFormer-2D on 2-D fields (examples/turb_ns2d_fact_lm.py): whole-frame relative L2 on
// normalised fields.
FieldTask factformer2d_task();

// FactFormer-3D on 3-D fields such as smoke (examples/threed_smokesim_fact_lm.py,
// configs/smoke3d_fact_lm.yml): per-field relative L2 on denormalised fields with the wall values
// of train.wall_velocity zeroed in the prediction; the grid must be even along every axis.
FieldTask factformer3d_task();

}  // namespace pf
