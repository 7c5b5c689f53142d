-- The heavy scan of bench_load.py: a keyword over every value, the word changing so that the cache does not
-- answer. wrk -t 5 -c 5 -d 20s --timeout 120s -s bench/wrk/heavy.lua URL -- FIRST_CLIENT (see common.lua).
local here = debug.getinfo(1, "S").source:sub(2):match("(.*/)") or "./"
dofile(here .. "common.lua")

local HEAVY = 'SELECT ?s ?o WHERE { ?s ?p ?o FILTER(CONTAINS(LCASE(STR(?o)), "%s")) } LIMIT 100'
local WORDS = {"naissance", "sexe", "deces", "sejour", "diagnostic", "acte", "montant", "prescripteur", "region",
               "commune", "age", "date", "code", "patient", "hopital", "pharmacie", "medicament", "consultation"}
local CUTS = {5, 6, 7, 12}

function init(args)
   start_client(tonumber(args[1]))
end

function request()
   local word = WORDS[math.random(#WORDS)] .. tostring(math.random(0, 999))
   return query_request(string.format(HEAVY, word:sub(1, CUTS[math.random(#CUTS)])))
end

function done(summary, latency, requests)
   report("heavy", summary, latency)
end
