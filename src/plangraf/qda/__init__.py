"""REFI-QDA (QDA-XML 1.0) exchange: codebooks and projects in and out, and agreement between coders.

Modules: :mod:`.refi_xml` (namespaces, GUIDs, XSD validation), :mod:`.codebook` (plangraf's codebook),
:mod:`.refi_read` (read ``.qdpx``/``.qde``), :mod:`.importer` (coded selections into a study),
:mod:`.refi_write` (a study as ``.qdpx``) and :mod:`.agreement` (percent agreement, Cohen's κ,
Krippendorff's α).
"""
