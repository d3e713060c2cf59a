"""Writes tests/data/well_h5py.hdf5: a tiny file in The Well's layout written the way the_well's
own files are, by h5py (numpy bools as enum attributes, variable- and fixed-length strings, empty
lists as empty float arrays, gzip+shuffle chunks), so the C++ reader is checked against what
h5py actually produces. Run with Debian's python3 (h5py, numpy) from the repository root."""
import h5py, numpy as np
B,T,X,Y=2,5,8,6
with h5py.File("tests/data/well_h5py.hdf5","w") as f:
    f.attrs["dataset_name"]="shear_flow"; f.attrs["grid_type"]="cartesian"
    f.attrs["n_spatial_dims"]=np.int64(2); f.attrs["n_trajectories"]=np.int64(B)
    f.attrs["simulation_parameters"]=["Reynolds"]; f.attrs["Reynolds"]=1e4
    d=f.create_group("dimensions"); d.attrs["spatial_dims"]=np.array([b"x",b"y"])  # fixed-length strings
    t=d.create_dataset("time",data=np.linspace(0,1,T).astype(np.float32)); t.attrs["sample_varying"]=False
    for n,m in (("x",X),("y",Y)):
        ds=d.create_dataset(n,data=np.linspace(0,1,m,endpoint=False).astype(np.float32))
        ds.attrs["sample_varying"]=False; ds.attrs["time_varying"]=False
    bc=f.create_group("boundary_conditions")
    for n,m,ty in (("x_periodic",X,"PERIODIC"),("y_wall",Y,"WALL")):
        g=bc.create_group(n); g.attrs["bc_type"]=ty; g.attrs["associated_dims"]=[n[0]]
        g.attrs["associated_fields"]=[]; g.attrs["sample_varying"]=False; g.attrs["time_varying"]=False
        mask=np.zeros(m,bool); mask[[0,-1]]=True
        g.create_dataset("mask",data=mask); g.create_dataset("values",data=np.zeros(2,np.float32))
    s=f.create_group("scalars"); s.attrs["field_names"]=["Reynolds"]; s.create_dataset("Reynolds",data=np.float32(1e4))
    rng=np.random.default_rng(0)
    tr=rng.standard_normal((B,T,X,Y)).astype(np.float32)
    vel=rng.standard_normal((B,T,X,Y,2)).astype(np.float32)
    g0=f.create_group("t0_fields"); g0.attrs["field_names"]=["tracer"]
    ds=g0.create_dataset("tracer",data=tr,chunks=(1,1,X,Y),compression="gzip",shuffle=True)
    ds.attrs["dim_varying"]=np.array([True,True]); ds.attrs["sample_varying"]=True; ds.attrs["time_varying"]=True
    g1=f.create_group("t1_fields"); g1.attrs["field_names"]=["velocity"]
    ds=g1.create_dataset("velocity",data=vel); ds.attrs["dim_varying"]=np.array([True,True]); ds.attrs["sample_varying"]=True; ds.attrs["time_varying"]=True
    g2=f.create_group("t2_fields"); g2.attrs["field_names"]=[]
