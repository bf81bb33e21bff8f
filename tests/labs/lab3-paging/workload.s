; Reference solution of labs/lab3-paging.md, step 2 (not served by the site).
;
; A working set larger than the 32-entry TLB makes every access of every round
; miss (each page is evicted just before the next round needs it), so nested
; paging walks 8 references per miss where shadow paging walks 2; and enough
; rounds make those walks outgrow shadow paging's exits, which it pays only
; once per page (hidden faults and the page-table writes of the setup).

.equ PAGES, 48
.equ ROUNDS, 200

.include "../../guests/wset/wset.s"
