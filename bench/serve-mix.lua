-- serve-mix.lua -- wrk's requests for bench/serve.sh: every path of the
-- table `paths` (prepended by the script) in turn, each wrk thread from
-- its own starting point.
local i = 0
init = function(args)
  i = math.random(#paths)
end
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
