package org.ringscope.launcher;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.neo4j.graphdb.Entity;
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

/**
 * {@code ringscope.createLinked(batch)}: creates a batch of new nodes, each with its
 * relationships to existing nodes and its lines (relationships with properties), in the
 * caller's transaction.
 *
 * <p>Why a procedure: the online loader writes claims at a rate bounded by server CPU on
 * small machines. The same batch as Cypher ({@code cypher/ingest_create_claims.cypher},
 * which external servers without this procedure run) costs the server about a third more
 * CPU per claim, spent in the interpreted runtime's rows and expressions. Here a batch
 * comes as columns (one list per property) and goes straight to the Core API; the graph
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
 * </pre>
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
    public Stream<Created> createLinked(@Name("batch") Map<String, Object> batch) {
        Label label = Label.label((String) batch.get("label"));
        Map<String, List<Object>> properties = columns(batch.get("properties"));
        Set<String> temporal = new HashSet<>(strings(batch.getOrDefault("temporal", List.of())));
        Map<String, Object> inherit = map(batch.getOrDefault("inherit", Map.of()));
        List<Map<String, Object>> extra = maps(batch.get("extra"));
        List<Link> links = maps(batch.getOrDefault("links", List.of())).stream().map(Link::of).toList();
        Lines lines = Lines.of(map(batch.get("lines")));
        int size = ((List<?>) properties.values().iterator().next()).size();

        Map<String, Node> cache = new HashMap<>();
        Node[] linked = new Node[links.size()];
        for (int i = 0; i < size; i++) {
            for (int l = 0; l < links.size(); l++) {
                Link link = links.get(l);
                linked[l] = find(cache, link.nodes(), link.required(), link.type().name(), i);
            }
            // Labelled last: a property set on a labelled node is matched against every
            // constraint and index of the label one by one; the label added to a node with all
            // its properties checks them once.
            Node node = tx.createNode();
            for (Map.Entry<String, List<Object>> column : properties.entrySet()) {
                Object value = column.getValue().get(i);
                if (value == null && inherit.containsKey(column.getKey())) {
                    Node from = linked[((Number) inherit.get(column.getKey())).intValue()];
                    value = from == null ? null : from.getProperty(column.getKey(), null);
                } else if (value != null && temporal.contains(column.getKey())) {
                    value = LocalDateTimeValue.parse((String) value).asObjectCopy();
                }
                if (value != null) {
                    node.setProperty(column.getKey(), value);
                }
            }
            setAll(node, extra, i);
            node.addLabel(label);
            for (int l = 0; l < links.size(); l++) {
                if (linked[l] == null) {
                    continue;
                }
                if (links.get(l).incoming()) {
                    linked[l].createRelationshipTo(node, links.get(l).type());
                } else {
                    node.createRelationshipTo(linked[l], links.get(l).type());
                }
            }
            if (lines != null) {
                writeLines(cache, node, lines, i);
            }
        }
        return Stream.of(new Created(size));
    }

    private void writeLines(Map<String, Node> cache, Node owner, Lines lines, int index) {
        int end = ((Number) lines.offsets().get(index + 1)).intValue();
        for (int j = ((Number) lines.offsets().get(index)).intValue(); j < end; j++) {
            Node target = find(cache, lines.nodes(), true, lines.type().name(), j);
            Entity line = owner.createRelationshipTo(target, lines.type());
            for (Map.Entry<String, List<Object>> column : lines.properties().entrySet()) {
                Object value = column.getValue().get(j);
                if (value != null) {
                    line.setProperty(column.getKey(), value);
                }
            }
            setAll(line, lines.extra(), j);
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

    private static void setAll(Entity entity, List<Map<String, Object>> extra, int index) {
        if (extra == null || extra.get(index) == null) {
            return;
        }
        for (Map.Entry<String, Object> entry : extra.get(index).entrySet()) {
            if (entry.getValue() != null) {
                entity.setProperty(entry.getKey(), entry.getValue());
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
