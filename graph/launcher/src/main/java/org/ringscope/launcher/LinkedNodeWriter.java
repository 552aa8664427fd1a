package org.ringscope.launcher;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.eclipse.collections.api.map.primitive.MutableIntObjectMap;
import org.eclipse.collections.api.set.primitive.IntSet;
import org.eclipse.collections.impl.factory.primitive.IntSets;
import org.eclipse.collections.impl.map.mutable.primitive.IntObjectHashMap;
import org.neo4j.exceptions.KernelException;
import org.neo4j.internal.kernel.api.TokenWrite;
import org.neo4j.internal.kernel.api.Write;
import org.neo4j.kernel.api.KernelTransaction;
import org.neo4j.kernel.impl.coreapi.InternalTransaction;

import org.neo4j.graphdb.Label;
import org.neo4j.graphdb.Node;
import org.neo4j.graphdb.NotFoundException;
import org.neo4j.graphdb.RelationshipType;
import org.neo4j.graphdb.Transaction;
import org.neo4j.procedure.Context;
import org.neo4j.procedure.Description;
import org.neo4j.procedure.Mode;
import org.neo4j.procedure.Name;
import org.neo4j.procedure.Procedure;
import org.neo4j.values.storable.LocalDateTimeValue;
import org.neo4j.values.storable.Value;
import org.neo4j.values.storable.Values;

/**
 * {@code ringscope.createLinked(batch)}: creates a batch of new nodes, each with its
 * relationships to existing nodes and its lines (relationships with properties), in the
 * caller's transaction.
 *
 * <p>Why a procedure: the online loader writes claims at a rate bounded by server CPU on
 * small machines. The same batch as Cypher ({@code cypher/ingest_create_claims.cypher},
 * which external servers without this procedure run) costs the server about a third more
 * CPU per claim, spent in the interpreted runtime's rows and expressions. Here a batch
 * comes as columns (one list per property) and goes straight to the kernel's write
 * operations: one call per node with its label and all its properties, token ids looked up
 * once per batch (against the Core API's call and token lookup per property, a sixth less
 * server CPU per claim, measured in benchmarks/RESULTS.md). The kernel API is internal to
 * Neo4j, which is why this class lives in the launcher that pins the version; the graph
 * written is the same (a test compares the two).
 *
 * <p>The batch is a map, generic in its names so that the loader, not this class, holds
 * the model:
 * <pre>
 * label:      the new nodes' label
 * properties: {name: [value per node]}; null values are not written
 * temporal:   names among properties whose strings become local date-times, parsed as
 *             Cypher's localdatetime() parses them
 * inherit:    {name: index into links}: a null property takes that linked node's value
 * extra:      [map per node] or null: further properties, as Cypher's SET n += map
 * links:      [{type, incoming, required, nodes: [element id per node]}]; a null id in a
 *             link that is not required means no relationship
 * lines:      {type, offsets: [n + 1 ints], nodes: [element id per line],
 *              properties: {name: [value per line]}, extra: [map per line] or null}:
 *             node i's lines are offsets[i] .. offsets[i+1]-1, each an outgoing
 *             relationship to its node
 * skip_existing: optional name among properties, the label's unique key: a row whose
 *             node is already stored (an earlier or interrupted load wrote it) is left
 *             alone with its links and lines; without it such a row fails the batch
 * </pre>
 *
 * <p>Why the writer skips stored nodes itself: the loader used to ask for them in a read
 * transaction before each batch, a round trip and a Cypher query per batch that kept a
 * writer idle; one seek of the unique index per row here costs less.
 */
public final class LinkedNodeWriter {

    @Context
    public Transaction tx;

    /** The procedure's one output row. */
    public static final class Created {
        public long created;

        public Created(long created) {
            this.created = created;
        }
    }

    /** One of the batch's links, read once per batch: its type, direction and node per row. */
    private record Link(RelationshipType type, boolean incoming, boolean required, List<Object> nodes) {
        static Link of(Map<String, Object> link) {
            return new Link(RelationshipType.withName((String) link.get("type")),
                    Boolean.TRUE.equals(link.get("incoming")), Boolean.TRUE.equals(link.get("required")),
                    list(link.get("nodes")));
        }
    }

    /** The batch's lines, read once per batch: row i's lines are offsets[i] .. offsets[i+1]-1. */
    private record Lines(RelationshipType type, List<Object> offsets, List<Object> nodes,
                         Map<String, List<Object>> properties, List<Map<String, Object>> extra) {
        static Lines of(Map<String, Object> lines) {
            return lines == null ? null : new Lines(RelationshipType.withName((String) lines.get("type")),
                    list(lines.get("offsets")), list(lines.get("nodes")), columns(lines.get("properties")),
                    maps(lines.get("extra")));
        }
    }

    @Procedure(name = "ringscope.createLinked", mode = Mode.WRITE)
    @Description("Creates new nodes with their relationships and lines from a column-wise batch (ringscope's loader).")
    public Stream<Created> createLinked(@Name("batch") Map<String, Object> batch) throws KernelException {
        KernelTransaction ktx = ((InternalTransaction) tx).kernelTransaction();
        Write write = ktx.dataWrite();
        Tokens tokens = new Tokens(ktx.tokenWrite());
        IntSet label = IntSets.immutable.of(ktx.tokenWrite().labelGetOrCreateForName((String) batch.get("label")));
        Map<String, List<Object>> properties = columns(batch.get("properties"));
        Set<String> temporal = new HashSet<>(strings(batch.getOrDefault("temporal", List.of())));
        Map<String, Object> inherit = map(batch.getOrDefault("inherit", Map.of()));
        List<Map<String, Object>> extra = maps(batch.get("extra"));
        List<Link> links = maps(batch.getOrDefault("links", List.of())).stream().map(Link::of).toList();
        Lines lines = Lines.of(map(batch.get("lines")));
        int size = ((List<?>) properties.values().iterator().next()).size();
        String uniqueKey = (String) batch.get("skip_existing");
        Label nodeLabel = Label.label((String) batch.get("label"));
        long created = 0;

        Map<String, Node> cache = new HashMap<>();
        Node[] linked = new Node[links.size()];
        int[] linkTypes = new int[links.size()];
        for (int l = 0; l < links.size(); l++) {
            linkTypes[l] = tokens.type(links.get(l).type().name());
        }
        int lineType = lines == null ? -1 : tokens.type(lines.type().name());
        for (int i = 0; i < size; i++) {
            if (uniqueKey != null && tx.findNode(nodeLabel, uniqueKey, properties.get(uniqueKey).get(i)) != null) {
                continue;
            }
            created++;
            for (int l = 0; l < links.size(); l++) {
                Link link = links.get(l);
                linked[l] = find(cache, link.nodes(), link.required(), link.type().name(), i);
            }
            MutableIntObjectMap<Value> values = new IntObjectHashMap<>(properties.size() * 2);
            for (Map.Entry<String, List<Object>> column : properties.entrySet()) {
                Object value = column.getValue().get(i);
                if (value == null && inherit.containsKey(column.getKey())) {
                    Node from = linked[((Number) inherit.get(column.getKey())).intValue()];
                    value = from == null ? null : from.getProperty(column.getKey(), null);
                } else if (value != null && temporal.contains(column.getKey())) {
                    value = LocalDateTimeValue.parse((String) value);
                }
                if (value != null) {
                    values.put(tokens.key(column.getKey()), Values.of(value));
                }
            }
            putAll(values, tokens, extra, i);
            // One call with the label and every property: the node's constraints and indexes are
            // checked once, not at each property set.
            long node = write.nodeCreate();
            write.nodeApplyChanges(node, label, IntSets.immutable.empty(), values);
            for (int l = 0; l < links.size(); l++) {
                if (linked[l] == null) {
                    continue;
                }
                long other = linked[l].getId();
                if (links.get(l).incoming()) {
                    write.relationshipCreate(other, linkTypes[l], node);
                } else {
                    write.relationshipCreate(node, linkTypes[l], other);
                }
            }
            if (lines != null) {
                writeLines(write, tokens, cache, node, lines, lineType, i);
            }
        }
        return Stream.of(new Created(created));
    }

    private void writeLines(Write write, Tokens tokens, Map<String, Node> cache, long owner, Lines lines,
                            int lineType, int index) throws KernelException {
        int end = ((Number) lines.offsets().get(index + 1)).intValue();
        for (int j = ((Number) lines.offsets().get(index)).intValue(); j < end; j++) {
            Node target = find(cache, lines.nodes(), true, lines.type().name(), j);
            long line = write.relationshipCreate(owner, lineType, target.getId());
            MutableIntObjectMap<Value> values = new IntObjectHashMap<>(lines.properties().size() * 2);
            for (Map.Entry<String, List<Object>> column : lines.properties().entrySet()) {
                Object value = column.getValue().get(j);
                if (value != null) {
                    values.put(tokens.key(column.getKey()), Values.of(value));
                }
            }
            putAll(values, tokens, lines.extra(), j);
            write.relationshipApplyChanges(line, values);
        }
    }

    /** Token ids by name, looked up (or created) once per batch. */
    private static final class Tokens {
        private final TokenWrite write;
        private final Map<String, Integer> keys = new HashMap<>();
        private final Map<String, Integer> types = new HashMap<>();

        Tokens(TokenWrite write) {
            this.write = write;
        }

        int key(String name) throws KernelException {
            return cached(keys, name, write::propertyKeyGetOrCreateForName);
        }

        int type(String name) throws KernelException {
            return cached(types, name, write::relationshipTypeGetOrCreateForName);
        }

        private static int cached(Map<String, Integer> cache, String name, Lookup lookup) throws KernelException {
            Integer id = cache.get(name);
            if (id == null) {
                id = lookup.id(name);
                cache.put(name, id);
            }
            return id;
        }

        /** A token lookup that may throw, as the kernel's do. */
        @FunctionalInterface
        private interface Lookup {
            int id(String name) throws KernelException;
        }
    }

    private Node find(Map<String, Node> cache, List<Object> ids, boolean required, String type, int index) {
        Object id = ids.get(index);
        if (id == null) {
            if (required) {
                throw new IllegalArgumentException("row " + index + " has no node for required " + type);
            }
            return null;
        }
        Node node = cache.get(id);
        if (node == null) {
            try {
                node = tx.getNodeByElementId((String) id);
            } catch (NotFoundException missing) {
                throw new IllegalArgumentException("no node with element id " + id + " for " + type, missing);
            }
            cache.put((String) id, node);
        }
        return node;
    }

    private static void putAll(MutableIntObjectMap<Value> values, Tokens tokens, List<Map<String, Object>> extra,
                               int index) throws KernelException {
        if (extra == null || extra.get(index) == null) {
            return;
        }
        for (Map.Entry<String, Object> entry : extra.get(index).entrySet()) {
            if (entry.getValue() != null) {
                values.put(tokens.key(entry.getKey()), Values.of(entry.getValue()));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, List<Object>> columns(Object value) {
        return (Map<String, List<Object>>) value;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> maps(Object value) {
        return (List<Map<String, Object>>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        return (List<Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object value) {
        return (List<String>) value;
    }
}
