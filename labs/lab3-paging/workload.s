; The workload of step 2: guests/wset, a kernel that touches a working set of
; PAGES pages, one word each, once per round, for ROUNDS rounds (read its
; header). Both guests of the step run this file: one under shadow paging, one
; under nested paging.
;
; YOUR TASK: choose PAGES and ROUNDS so that nested paging costs the host more
; cycles than shadow paging on this machine (its TLB has 32 entries). Edit both
; guests' copies the same way. Keep PAGES <= 64 (the guests have 512 KiB).

.equ PAGES, 16
.equ ROUNDS, 20

.include "../../guests/wset/wset.s"
